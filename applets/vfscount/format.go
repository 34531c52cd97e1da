package vfscount

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/syms"
)

// keySize is struct vfscount_key (bpfobj/vfscount/vfscount.h).
const keySize = 16

type key struct {
	ip    uint64
	idx   uint32
	count uint64
}

func decode(k, v []byte) (key, error) {
	if len(k) < keySize || len(v) < 8 {
		return key{}, fmt.Errorf("short count: key %d, value %d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	return key{ip: ne.Uint64(k), idx: ne.Uint32(k[8:]), count: ne.Uint64(v)}, nil
}

// row is one function's count.
type row struct {
	addr  uint64
	fn    string
	count uint64
}

// resolve names each count: a kprobe's address through kallsyms, a
// stand-in's index through functions (its address from kallsyms when
// known). Counts are sorted ascending, as bcc prints them.
func resolve(keys []key, k *syms.KernelSymbols) []row {
	rows := make([]row, 0, len(keys))
	for _, c := range keys {
		r := row{addr: c.ip, count: c.count}
		switch {
		case c.idx >= 1 && int(c.idx) <= len(functions):
			r.fn = functions[c.idx-1]
			if k != nil {
				r.addr, _ = k.Address(r.fn)
			}
		case k != nil:
			if s, ok := k.Lookup(c.ip); ok {
				r.fn, r.addr = s.Name, s.Addr
			}
		}
		if r.fn == "" {
			r.fn = "[unknown]"
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b row) int {
		if a.count != b.count {
			if a.count < b.count {
				return -1
			}
			return 1
		}
		return strings.Compare(a.fn, b.fn)
	})
	return rows
}

// format writes bcc's "\n%-16s %-26s %8s" header and "%-16x %-26s %8d"
// rows, or one JSON object.
func format(b []byte, rows []row, json bool, dropped []loader.Dropped) []byte {
	if json {
		var j output.JSONLine
		j.Reset()
		list := []byte{'['}
		for i, r := range rows {
			if i > 0 {
				list = append(list, ',')
			}
			list = append(list, `{"addr":"`...)
			list = strconv.AppendUint(list, r.addr, 16)
			list = append(list, `","func":`...)
			list = output.AppendJSONString(list, []byte(r.fn))
			list = append(list, `,"count":`...)
			list = strconv.AppendUint(list, r.count, 10)
			list = append(list, '}')
		}
		j.Raw("counts", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		return append(b, j.Bytes()...)
	}
	b = append(b, "\nADDR             FUNC                          COUNT\n"...)
	for _, r := range rows {
		b = output.AppendPadRight(b, strconv.AppendUint(nil, r.addr, 16), 16)
		b = append(b, ' ')
		b = output.AppendPadRight(b, []byte(r.fn), 26)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, r.count, 8)
		b = append(b, '\n')
	}
	return b
}
