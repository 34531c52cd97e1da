package fsslower

import (
	"strconv"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/fsops"
)

type config struct {
	fs                 string
	csv, json, verbose bool
	pid                uint32
	minMs, duration    int
	btf                string
}

func newConfig(inv *applet.Invocation, fs string) (*config, error) {
	if fs == "" {
		return nil, applet.Usagef("the file system must be given with -t FS (one of btrfs, ext4, nfs, xfs)")
	}
	if err := fsops.Check(fs); err != nil {
		return nil, applet.Usagef("-t: %v", err)
	}
	c := &config{fs: fs, csv: inv.Bool("csv"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		minMs: inv.Int("min"), duration: inv.Int("duration"), btf: inv.String("btf")}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	if c.minMs < 0 {
		return nil, applet.Usagef("invalid -m %d: want milliseconds >= 0", c.minMs)
	}
	if c.duration < 0 {
		return nil, applet.Usagef("invalid duration %d", c.duration)
	}
	if inv.IsSet("pid") {
		p := inv.Int("pid")
		if p <= 0 {
			return nil, applet.Usagef("invalid PID %d", p)
		}
		c.pid = uint32(p)
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{"targ_pid": c.pid, "min_lat_ns": uint64(c.minMs) * 1000000}
}

// header: libbpf-tools' banner and column line ("%-8s %-16s %-7s %1s
// %-7s %-8s %7s %s"), or the CSV header; none with --json.
func (c *config) header() []byte {
	if c.json {
		return nil
	}
	if c.csv {
		return []byte("ENDTIME_ns,TASK,PID,TYPE,BYTES,OFFSET_b,LATENCY_us,FILE\n")
	}
	b := "Tracing " + c.fs + " operations"
	if c.minMs > 0 {
		b += " slower than " + strconv.Itoa(c.minMs) + " ms"
	}
	return []byte(b + "... Hit Ctrl-C to end.\n" + headerLine)
}

const headerLine = "TIME     COMM             PID     T BYTES   OFF_KB   LAT(ms) FILENAME\n"
