package syscount

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/applet"
)

type config struct {
	failures, latency, ms, process, list, json, verbose bool
	pid, tid, interval, duration, top, errno            int
	cgroup, btf                                         string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		failures: inv.Bool("failures"), latency: inv.Bool("latency"), ms: inv.Bool("milliseconds"),
		process: inv.Bool("process"), list: inv.Bool("list"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		pid: inv.Int("pid"), tid: inv.Int("tid"), interval: inv.Int("interval"), duration: inv.Int("duration"), top: inv.Int("top"),
		cgroup: inv.String("cgroup"), btf: inv.String("btf"),
	}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	case inv.IsSet("tid") && c.tid <= 0:
		return nil, applet.Usagef("invalid TID %d for -t", c.tid)
	case c.interval < 0:
		return nil, applet.Usagef("invalid INTERVAL %d for -i: want seconds >= 0", c.interval)
	case inv.IsSet("duration") && c.duration <= 0:
		return nil, applet.Usagef("invalid DURATION %d for -d: want seconds > 0", c.duration)
	case c.top <= 0:
		return nil, applet.Usagef("invalid TOP %d for -T: want a positive number", c.top)
	}
	if inv.IsSet("errno") {
		n, err := parseErrno(inv.String("errno"))
		if err != nil {
			return nil, err
		}
		c.errno = n
	}
	return c, nil
}

// parseErrno reads -e: "2", "ENOENT" or "enoent".
func parseErrno(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n > 4095 {
			return 0, applet.Usagef("invalid errno %d for -e: want 1-4095", n)
		}
		return n, nil
	}
	name := strings.ToUpper(s)
	for e := 1; e < 256; e++ {
		if unix.ErrnoName(unix.Errno(e)) == name {
			return e, nil
		}
	}
	return 0, applet.Usagef("invalid errno %q for -e: want a number or a name like ENOENT", s)
}

func (c *config) consts() map[string]any {
	m := map[string]any{
		"failed_only": c.failures, "filter_errno": int32(c.errno),
		"measure_latency": c.latency, "by_process": c.process,
	}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	if c.tid > 0 {
		m["filter_tid"] = uint32(c.tid)
	}
	return m
}
