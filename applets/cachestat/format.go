package cachestat

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/pagecache"
)

// Counter slots (bpfobj/cachestat/cachestat.h, core/pagecache).
const (
	apcl = pagecache.Added
	mpa  = pagecache.Accessed
	mbd  = pagecache.BuffersDirtied
	apd  = pagecache.PagesDirtied
)

// stats is one interval as bcc's cachestat reports it.
type stats struct {
	hits, misses, dirties int64
	ratio                 float64 // percent
}

// combine is bcc's arithmetic: accesses without dirtied buffers, misses
// without dirtied pages; when readahead makes misses outnumber accesses,
// everything is a miss.
func combine(c [4]int64) stats {
	for i := range c {
		c[i] = max(c[i], 0)
	}
	total := c[mpa] - c[mbd]
	misses := c[apcl] - c[apd]
	if total < 0 {
		total = 0
	}
	if misses < 0 {
		misses = 0
	}
	hits := total - misses
	if hits < 0 {
		misses, hits = total, 0
	}
	s := stats{hits: hits, misses: misses, dirties: c[mbd]}
	if total > 0 {
		s.ratio = 100 * float64(hits) / float64(total)
	}
	return s
}

// readMeminfo returns Buffers and Cached in MB (0 when unreadable).
func readMeminfo(path string) (buffers, cached float64) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "Buffers:":
			buffers = kb / 1024
		case "Cached:":
			cached = kb / 1024
		}
	}
	return buffers, cached
}

// header is "%8s %8s %8s %8s %12s %10s", after "%-8s " TIME with -T.
func header(timestamp bool) string {
	h := "    HITS   MISSES  DIRTIES HITRATIO   BUFFERS_MB  CACHED_MB\n"
	if timestamp {
		h = "TIME     " + h
	}
	return h
}

// format appends "%8d %8d %8d %7.2f%% %12.0f %10.0f", or a JSON object.
func format(b []byte, cfg *config, now time.Time, s stats, buffers, cached float64) []byte {
	if cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, now))
		j.Int("hits", s.hits)
		j.Int("misses", s.misses)
		j.Int("dirties", s.dirties)
		j.Float("hit_ratio", s.ratio, 2)
		j.Float("buffers_mb", buffers, 0)
		j.Float("cached_mb", cached, 0)
		return append(b, j.Bytes()...)
	}
	if cfg.timestamp {
		b = output.AppendPadRight(b, output.AppendClock(nil, now), 8)
		b = append(b, ' ')
	}
	b = output.AppendIntPadLeft(b, s.hits, 8)
	b = append(b, ' ')
	b = output.AppendIntPadLeft(b, s.misses, 8)
	b = append(b, ' ')
	b = output.AppendIntPadLeft(b, s.dirties, 8)
	b = append(b, ' ')
	b = output.AppendPadLeft(b, strconv.AppendFloat(nil, s.ratio, 'f', 2, 64), 7)
	b = append(b, "% "...)
	b = output.AppendPadLeft(b, strconv.AppendFloat(nil, buffers, 'f', 0, 64), 12)
	b = append(b, ' ')
	b = output.AppendPadLeft(b, strconv.AppendFloat(nil, cached, 'f', 0, 64), 10)
	return append(b, '\n')
}
