package unwind

import (
	"bytes"
	"os"
	"testing"

	"github.com/cilium/ebpf"
)

// A table written through the map's memory holds the same rows as one
// written by a batch update (kernels without memory-mapped arrays), and
// rows past a page are written too.
func TestWriteMappedSameAsBatch(t *testing.T) {
	if !mmapTables() {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatal("no memory-mapped arrays here (needs root and Linux 5.5)")
		}
		t.Skip("no memory-mapped arrays here (needs root and Linux 5.5)")
	}
	rows := make([]Row, 1000) // 16,000 bytes: four pages
	for i := range rows {
		rows[i] = Row{PC: uint64(16 * i), CFA: BaseSP, CFAOffset: int32(8 + i%64), FPOffset: -16, RAOffset: -8}
	}
	rows[len(rows)-1] = Row{PC: 16 * 999, CFA: BaseFP, CFAOffset: 16, FPOffset: 1 << 20} // does not fit: none
	read := func(mapped bool) [][]byte {
		m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: rowSize, MaxEntries: uint32(len(rows)), Flags: innerFlags(mapped)})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if mapped {
			err = writeMapped(m, rows)
		} else {
			err = writeBatch(m, rows)
		}
		if err != nil {
			t.Fatal(err)
		}
		var out [][]byte
		for i := range rows {
			v := make([]byte, rowSize)
			if err := m.Lookup(uint32(i), v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	batch, mapped := read(false), read(true)
	for i := range rows {
		if !bytes.Equal(batch[i], mapped[i]) {
			t.Fatalf("row %d: mapped %x, batch %x", i, mapped[i], batch[i])
		}
	}
	if bytes.Equal(mapped[len(rows)-1], make([]byte, rowSize)) {
		t.Fatal("the last row was not written")
	}
}
