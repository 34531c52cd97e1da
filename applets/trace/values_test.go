package trace

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/probebox/probebox/applets/trace/lang"
)

// TestFormatInet: IPv6 text as glibc's inet_ntop writes it (the expected
// strings came from inet_ntop itself).
func TestFormatInet(t *testing.T) {
	tests := map[string]string{
		"00000000000000000000000000000000": "::",
		"00000000000000000000000000000001": "::1",
		"fe800000000000000000000000000001": "fe80::1",
		"20010db8000000000000000000000001": "2001:db8::1",
		"0000000000000000000000007f000002": "::127.0.0.2",
		"00000000000000000000ffff01020304": "::ffff:1.2.3.4",
		"00010000000000010000000000000000": "1:0:0:1::",
		"00010000000100000001000000010000": "1:0:1:0:1:0:1:0",
		"20010db8000000000001000000000001": "2001:db8::1:0:0:1",
		"00000000000000000000000100000000": "::1:0:0",
		"00000000000000000000000000010000": "::0.1.0.0",
		"00000000000000000000000000000100": "::100",
	}
	for h, want := range tests {
		b, _ := hex.DecodeString(h)
		if got := formatInet(10, b); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if got := formatInet(2, []byte{127, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}); got != "127.0.0.1" {
		t.Errorf("AF_INET: %q", got)
	}
}

type fakeSymbolizer struct{}

func (fakeSymbolizer) Kernel(addr uint64, offset bool) string {
	if addr >= 0x1000 && addr < 0x1100 {
		if offset && addr > 0x1000 {
			return fmt.Sprintf("vfs_read+%d", addr-0x1000)
		}
		return "vfs_read"
	}
	return hexAddr(addr)
}

func (fakeSymbolizer) UserModule(pid int, addr uint64) string { return "" }

func (fakeSymbolizer) User(pid int, addr uint64, offset bool) string {
	if pid == 42 && addr == 0x400000 {
		return "main"
	}
	return hexAddr(addr)
}

// TestPrintfValues: ksym, usym and ntop arguments of printf, and keys.
func TestPrintfValues(t *testing.T) {
	ne := binary.NativeEndian
	ksym, usym, inet := lang.Type{Kind: lang.KKsym, Size: 8}, lang.Type{Kind: lang.KUsym, Size: 16}, lang.Type{Kind: lang.KInet, Size: lang.InetSize}
	f, err := newFormatter([]*lang.Printf{{Format: "%s|%s|%s|%s|%-10s|%s\n", Args: []lang.Type{ksym, ksym, usym, usym, inet, inet}}})
	if err != nil {
		t.Fatal(err)
	}
	f.sym = fakeSymbolizer{}
	var data []byte
	data = ne.AppendUint64(data, 0x1005)
	data = ne.AppendUint64(data, 0)
	data = ne.AppendUint64(ne.AppendUint64(data, 0x400000), 42)
	data = ne.AppendUint64(ne.AppendUint64(data, 0x400000), 43)
	data = append(ne.AppendUint64(data, 2), 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	data = append(ne.AppendUint64(data, 10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
	got, err := f.format(nil, 0, data)
	if err != nil {
		t.Fatal(err)
	}
	if want := "vfs_read|0|main|0x400000|10.0.0.1  |::1\n"; string(got) != want {
		t.Errorf("printf %q, want %q", got, want)
	}
	m := &lang.MapInfo{Name: "", Keys: []lang.Type{ksym, inet}, Agg: lang.AggCount}
	key := append(ne.AppendUint64(nil, 0x1001), data[48:72]...)
	if got := formatKey(m, key, &stackPrinter{sym: fakeSymbolizer{}}); got != "[vfs_read, 10.0.0.1]" {
		t.Errorf("key %q", got)
	}
}
