package sockstat

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

type printer struct {
	cfg   *config
	now   func() time.Time
	netns uint64
	n     int
}

type row struct {
	key
	count int
}

// rows orders the counts: tcp, udp, then unix types; inet before inet6;
// states by number.
func rows(counts map[key]int) ([]row, int) {
	rank := map[string]int{"tcp": 0, "udp": 1, "unix-stream": 2, "unix-seqpacket": 3, "unix-dgram": 4}
	var rs []row
	total := 0
	for k, n := range counts {
		rs = append(rs, row{k, n})
		total += n
	}
	slices.SortFunc(rs, func(a, b row) int {
		ra, oka := rank[a.proto]
		rb, okb := rank[b.proto]
		if !oka {
			ra = 9
		}
		if !okb {
			rb = 9
		}
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a.proto, b.proto), cmp.Compare(a.family, b.family), cmp.Compare(a.state, b.state))
	})
	return rs, total
}

// state names TCP states as ss does in its summary; UDP and unix sockets
// use the same numbers (CLOSE: unconnected, ESTABLISHED: connected).
func state(s int) string { return netfmt.StateName(s) }

// summary: "PROTO  FAMILY STATE        COUNT" rows, then "Total: N", and a
// blank line between summaries.
func (p *printer) summary(w *bytes.Buffer, counts map[key]int) {
	p.n++
	rs, total := rows(counts)
	if p.cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Int("summary", int64(p.n))
		if p.cfg.timestamp {
			j.Str("time", output.AppendClock(nil, p.now()))
		}
		j.Uint("netns", p.netns)
		list := []byte{'['}
		for i, r := range rs {
			if i > 0 {
				list = append(list, ',')
			}
			list = append(list, `{"proto":"`...)
			list = append(list, r.proto...)
			list = append(list, `","family":"`...)
			list = append(list, r.family...)
			list = append(list, `","state":"`...)
			list = append(list, state(r.state)...)
			list = append(list, `","count":`...)
			list = strconv.AppendInt(list, int64(r.count), 10)
			list = append(list, '}')
		}
		j.Raw("sockets", append(list, ']'))
		j.Int("total", int64(total))
		w.Write(j.Bytes())
		return
	}
	var b []byte
	if p.n > 1 {
		b = append(b, '\n')
	}
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, '\n')
	}
	b = append(b, "PROTO          FAMILY STATE             COUNT\n"...)
	for _, r := range rs {
		b = output.AppendPadRight(b, []byte(r.proto), 14)
		b = append(b, ' ')
		b = output.AppendPadRight(b, []byte(r.family), 6)
		b = append(b, ' ')
		b = output.AppendPadRight(b, []byte(state(r.state)), 12)
		b = append(b, ' ')
		b = output.AppendIntPadLeft(b, int64(r.count), 10)
		b = append(b, '\n')
	}
	b = append(b, "Total: "...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, '\n')
	w.Write(b)
}
