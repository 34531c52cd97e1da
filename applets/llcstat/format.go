package llcstat

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// row is one CPU and process (or thread) and its cache events.
type row struct {
	cpu, pid, tid uint32
	ref, miss     uint64
	comm          []byte
}

// Layout of struct llcstat_value (bpfobj/llcstat/llcstat.h).
const (
	commOff   = 16
	commLen   = 16
	valueSize = commOff + commLen
	keySize   = 12
)

func readRows(m *ebpf.Map) ([]row, error) {
	var (
		key  [keySize]byte
		val  [valueSize]byte
		rows []row
	)
	it := m.Iterate()
	for it.Next(&key, &val) {
		rows = append(rows, decode(key[:], val[:]))
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading cache statistics: %w", err)
	}
	slices.SortFunc(rows, func(a, b row) int {
		if a.pid != b.pid {
			return int(int64(a.pid) - int64(b.pid))
		}
		if a.tid != b.tid {
			return int(int64(a.tid) - int64(b.tid))
		}
		return int(int64(a.cpu) - int64(b.cpu))
	})
	return rows, nil
}

func decode(k, v []byte) row {
	ne := nativeEndian
	comm := v[commOff:valueSize]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	return row{cpu: ne.Uint32(k), pid: ne.Uint32(k[4:]), tid: ne.Uint32(k[8:]),
		ref: ne.Uint64(v), miss: ne.Uint64(v[8:]), comm: bytes.Clone(comm)}
}

func hitPct(ref, miss uint64) float64 {
	if ref == 0 || miss > ref {
		return 0
	}
	return 100 * float64(ref-miss) / float64(ref)
}

// format prints the table and totals as libbpf-tools' llcstat does.
func format(rows []row, cfg *config, dropped []loader.Dropped) []byte {
	var tref, tmiss uint64
	for _, r := range rows {
		tref += r.ref
		tmiss += r.miss
	}
	if cfg.json {
		var j output.JSONLine
		j.Reset()
		list := []byte{'['}
		for i, r := range rows {
			if i > 0 {
				list = append(list, ',')
			}
			list = fmt.Appendf(list, `{"pid":%d,`, r.pid)
			if cfg.perThread {
				list = fmt.Appendf(list, `"tid":%d,`, r.tid)
			}
			list = append(list, `"comm":`...)
			list = output.AppendJSONString(list, r.comm)
			list = fmt.Appendf(list, `,"cpu":%d,"references":%d,"misses":%d,"hit_pct":%.2f}`, r.cpu, r.ref, r.miss, hitPct(r.ref, r.miss))
		}
		j.Raw("rows", append(list, ']'))
		j.Uint("total_references", tref)
		j.Uint("total_misses", tmiss)
		j.Float("hit_pct", hitPct(tref, tmiss), 2)
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		return j.Bytes()
	}
	var b []byte
	if cfg.perThread {
		b = fmt.Appendf(b, "%-8s %-8s %-16s %-4s %12s %12s %7s\n", "PID", "TID", "NAME", "CPU", "REFERENCE", "MISS", "HIT%")
	} else {
		b = fmt.Appendf(b, "%-8s %-16s %-4s %12s %12s %7s\n", "PID", "NAME", "CPU", "REFERENCE", "MISS", "HIT%")
	}
	for _, r := range rows {
		b = fmt.Appendf(b, "%-8d ", r.pid)
		if cfg.perThread {
			b = fmt.Appendf(b, "%-8d ", r.tid)
		}
		b = output.AppendPadRight(b, output.AppendEscaped(nil, r.comm), 16)
		b = fmt.Appendf(b, " %-4d %12d %12d %6.2f%%\n", r.cpu, r.ref, r.miss, hitPct(r.ref, r.miss))
	}
	return fmt.Appendf(b, "\nTotal References: %d Total Misses: %d Hit Rate: %.2f%%\n", tref, tmiss, hitPct(tref, tmiss))
}
