package vfsstat

import (
	"strings"
	"time"

	"github.com/probebox/probebox/core/output"
)

// header is libbpf-tools' "%-8s  " TIME and " %6s/s" per column.
func header() string {
	var b strings.Builder
	b.WriteString("TIME      ")
	for _, c := range columns {
		b.WriteString(" ")
		b.WriteString(strings.Repeat(" ", max(0, 6-len(c))))
		b.WriteString(c)
		b.WriteString("/s")
	}
	b.WriteString("\n")
	return b.String()
}

// format appends one interval: "HH:MM:SS: " and " %8u" per column of
// counts per second (of the configured interval, as libbpf-tools divides);
// --json gives the raw counts and the interval they cover.
func format(b []byte, cfg *config, now time.Time, took time.Duration, counts []uint64) []byte {
	secs := uint64(cfg.every / time.Second)
	if cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, now))
		j.Float("interval_s", took.Seconds(), 3)
		for i, c := range columns {
			j.Uint(strings.ToLower(c), counts[i])
		}
		return append(b, j.Bytes()...)
	}
	b = output.AppendClock(b, now)
	b = append(b, ": "...)
	for i := range columns {
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, counts[i]/secs, 8)
	}
	return append(b, '\n')
}
