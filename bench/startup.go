package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// startTool is one tool of the start-up workload, as probebox and its peer
// run it.
type startTool struct {
	name       string
	pbx, peer  []string // nil: absent
	peerName   string
	readyIsPre bool // the peer prints before attaching (bpftrace)
}

func (b *bench) startTools() []startTool {
	var ts []startTool
	for _, name := range []string{"execsnoop", "opensnoop", "biosnoop", "tcpconnect", "runqlat", "biolatency", "profile"} {
		t := startTool{name: name, peerName: "libbpf-tools"}
		if b.hasApplet(name) {
			t.pbx = []string{b.cfg.Probebox, name}
		}
		if p := b.peer(name); p != "" {
			t.peer = []string{p}
		}
		ts = append(ts, t)
	}
	prog := `tracepoint:syscalls:sys_enter_openat { @opens = count(); }`
	t := startTool{name: "trace", peerName: "bpftrace", readyIsPre: true}
	if b.hasApplet("trace") {
		t.pbx = []string{b.cfg.Probebox, "trace", "-e", prog}
	}
	if p := b.peer("bpftrace"); p != "" {
		t.peer = []string{p, "-e", prog}
	}
	return append(ts, t)
}

// startup: time from exec to the header on a terminal (median of n runs),
// resident memory after a while of tracing, and binary size.
func (b *bench) startup() {
	for _, t := range b.startTools() {
		pbx, peer := -1, -1
		for _, side := range []struct {
			tracer string
			argv   []string
		}{{"probebox", t.pbx}, {t.peerName, t.peer}} {
			wl := "start-up"
			if side.argv == nil {
				note := "not in this probebox"
				if side.tracer != "probebox" {
					note = map[bool]string{true: "not installed", false: "peers not measured (--peers=false)"}[b.cfg.Peers]
				}
				b.add(Row{Workload: wl, Tool: t.name, Tracer: side.tracer, Status: "absent", Figure: "time to ready", Note: note})
				continue
			}
			times, rss, peak, err := timeToReady(side.argv, b.cfg.StartupRuns, b.cfg.RSSAfter)
			if err != nil {
				b.add(Row{Workload: wl, Tool: t.name, Tracer: side.tracer, Status: "failed", Figure: "time to ready", Note: err.Error()})
				continue
			}
			r := Row{Workload: wl, Tool: t.name, Tracer: side.tracer, Status: "ok", Figure: "time to ready (median)",
				Value: float64(times[len(times)/2]) / 1e6, Unit: "ms",
				Note: fmt.Sprintf("runs: %d, %.0f–%.0f ms", len(times), float64(times[0])/1e6, float64(times[len(times)-1])/1e6)}
			if side.tracer == "bpftrace" {
				r.Note += "; bpftrace prints its line before attaching"
			}
			b.add(r)
			if side.tracer == "probebox" {
				pbx = b.last()
			} else {
				peer = b.last()
			}
			m := Row{Workload: "memory", Tool: t.name, Tracer: side.tracer, Status: "ok", Figure: "RSS after " + b.cfg.RSSAfter.String(), Value: float64(rss) / 1024, Unit: "MiB"}
			if limit, kind := rssTarget(t.name); side.tracer == "probebox" && limit > 0 {
				m.Target, m.Met = fmt.Sprintf("≤ %d MiB", limit), ptr(rss <= int64(limit)*1024)
				m.Note = kind
			}
			b.add(m)
			b.add(Row{Workload: "memory", Tool: t.name, Tracer: side.tracer, Status: "ok", Figure: "peak RSS (VmHWM) by then", Value: float64(peak) / 1024, Unit: "MiB"})
		}
		b.compareRows(pbx, peer, true)
	}
	b.sizes()
}

// rssTarget is the resident-memory target one second after ready (issue
// 20): streaming tools 8 MiB, summary tools and trace one-liners 10 MiB.
func rssTarget(tool string) (mib int, kind string) {
	switch tool {
	case "execsnoop", "opensnoop", "biosnoop", "tcpconnect":
		return 8, "streaming tool"
	case "runqlat", "biolatency", "profile":
		return 10, "summary tool"
	case "trace":
		return 10, "one-liner"
	}
	return 0, ""
}

func (b *bench) sizes() {
	add := func(tool, tracer, path, note string) {
		st, err := os.Stat(path)
		if err != nil {
			return
		}
		r := Row{Workload: "size", Tool: tool, Tracer: tracer, Status: "ok", Figure: "binary size", Value: float64(st.Size()) / (1 << 20), Unit: "MiB", Note: note}
		if tracer == "probebox" {
			r.Target, r.Met = "< 15 MiB", ptr(st.Size() < 15<<20)
		}
		b.add(r)
	}
	add("all applets", "probebox", b.cfg.Probebox, "static, every tool in one file")
	for _, name := range []string{"execsnoop", "opensnoop", "runqlat"} {
		if p := b.peer(name); p != "" {
			add(name, "libbpf-tools", p, "one tool; links libbpf/libelf/libz shared")
		}
	}
	if p := b.peer("bpftrace"); p != "" {
		add("bpftrace", "bpftrace", p, "links LLVM/clang shared libraries")
	}
}

// timeToReady runs argv n times with its stdout on a terminal (so that C
// tools flush their header at once) and measures the time from exec to
// the first byte of output; it returns the sorted times, and the resident
// memory after rssAfter of tracing in the first run and its peak so far.
func timeToReady(argv []string, n int, rssAfter time.Duration) (times []time.Duration, rss, peak int64, err error) {
	for i := 0; i < n; i++ {
		d, mem, hwm, err := readyOnce(argv, i == 0, rssAfter)
		if err != nil {
			return nil, 0, 0, err
		}
		times = append(times, d)
		if i == 0 {
			rss, peak = mem, hwm
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times, rss, peak, nil
}

func readyOnce(argv []string, measureRSS bool, rssAfter time.Duration) (time.Duration, int64, int64, error) {
	master, slave, err := openPTY()
	if err != nil {
		return 0, 0, 0, err
	}
	defer master.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = slave, slave
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TERM=dumb")
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		slave.Close()
		return 0, 0, 0, err
	}
	slave.Close()
	first := make(chan error, 1)
	output := make(chan []byte, 1) // what it printed, once it closed the terminal
	go func() {
		var all []byte
		buf := make([]byte, 4096)
		n, err := master.Read(buf)
		first <- err
		for err == nil {
			all = append(all, buf[:n]...)
			n, err = master.Read(buf)
		}
		output <- all
	}()
	var ready time.Duration
	select {
	case err := <-first:
		ready = time.Since(begin)
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return 0, 0, 0, fmt.Errorf("no output: %w", err)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return 0, 0, 0, errors.New("nothing printed in 30 s")
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	// A tool that printed an error and exited was never ready.
	wait := 200 * time.Millisecond
	if measureRSS {
		wait = max(wait, rssAfter)
	}
	select {
	case <-done:
		return 0, 0, 0, fmt.Errorf("exited after printing (not tracing): %s", tail(string(<-output), 200))
	case <-time.After(wait):
	}
	var rss, peak int64
	if measureRSS {
		rss, peak = rssKB(cmd.Process.Pid), statusKB(cmd.Process.Pid, "VmHWM:")
	}
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	return ready, rss, peak, nil
}

// openPTY opens a pseudo-terminal pair.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, err
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
