package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// catalogue: the catalogue's tools whose cost matters, each under the
// workload that makes its events, against libbpf-tools' tool of the same
// name where Debian ships one. These tools trace the whole system, so
// the figure is BPF run time per program run (the kernel's statistics),
// which the rest of the machine's events do not skew; the workload's
// added CPU is in the note. A peer that cannot attach on this kernel
// (libbpf-tools' kprobe/fentry tools on a kernel without them) gets a
// failed row saying so, not a figure.
func (b *bench) catalogue() {
	switches := strconv.Itoa(b.cfg.Switches)
	for _, tool := range []string{"cpudist", "offcputime"} {
		b.catalogueRow("catalogue: context switches", tool, "pingpong", []string{switches}, nil)
	}
	// libbpf-tools' wakeuptime records the waker's kernel stack only.
	b.catalogueRow("catalogue: context switches", "wakeuptime", "pingpong", []string{switches}, nil, "-K")
	opens := []string{strconv.Itoa(b.cfg.Count), b.target}
	b.catalogueRow("catalogue: system calls", "syscount", "openloop", opens, nil)
	b.catalogueRow("catalogue: system calls", "funccount", "openloop", opens, []string{"t:syscalls:sys_enter_openat"})
	b.catalogueRow("catalogue: system calls", "vfsstat", "openloop", opens, nil)
	sessions := []string{strconv.Itoa(b.cfg.Sessions)}
	b.catalogueRow("catalogue: TCP sessions", "tcplife", "connloop", sessions, nil)
	b.catalogueRow("catalogue: TCP sessions", "tcptop", "connloop", sessions, []string{"-C"})
	b.catalogueRow("catalogue: TCP sessions", "softirqs", "connloop", sessions, nil)
	b.catalogueRow("catalogue: CPU profile", "profile", "pingpong", []string{switches}, []string{"-F", "99"})
	b.diskInterrupts()
	b.userFunctions()
	b.symbolize()
	if file, err := b.cachedFile(); err != nil {
		b.add(Row{Workload: "catalogue: cached reads", Tool: "cachestat", Tracer: "probebox", Status: "failed", Figure: "BPF ns per program run", Note: err.Error()})
	} else {
		reads := []string{strconv.Itoa(b.cfg.Count), file}
		b.catalogueRow("catalogue: cached reads", "cachestat", "readloop", reads, nil)
		b.catalogueRow("catalogue: cached reads", "vfsstat", "readloop", reads, nil)
	}
}

// catalogueRow compares probebox's tool with libbpf-tools' of the same
// name (when installed and wanted), both given args; probebox also gets
// own, the flags that make it do what the peer does.
func (b *bench) catalogueRow(wl, tool, mode string, workload, args []string, own ...string) {
	if !b.hasApplet(tool) {
		b.add(Row{Workload: wl, Tool: tool, Tracer: "probebox", Status: "absent", Figure: "BPF ns per program run", Note: tool + " is not in this probebox"})
		return
	}
	ts := []tracer{{Name: "probebox", Argv: append(append([]string{b.cfg.Probebox, tool}, own...), args...), lost: probeboxLost}}
	// funccount is bcc's only: its peer (Python) is not measured.
	if p := b.peer(tool); p != "" && tool != "funccount" {
		ts = append(ts, tracer{Name: "libbpf-tools", Argv: append([]string{p}, args...), lost: peerLost})
	}
	b.compare(wl, tool, mode, workload, ts, false, nil)
}

// cachedFile writes a 1 MiB file in the scratch directory and reads it
// once, so that the read loop's reads are page-cache hits.
func (b *bench) cachedFile() (string, error) {
	path := filepath.Join(b.dir, "cached")
	if err := os.WriteFile(path, make([]byte, 1<<20), 0o644); err != nil {
		return "", err
	}
	_, err := os.ReadFile(path)
	return path, err
}

// diskInterrupts: hardirqs under direct 4 KiB reads of a file on a real
// disk (each read a device request, completed by an interrupt; a loop
// device or tmpfs raises none).
func (b *bench) diskInterrupts() {
	const wl = "catalogue: disk interrupts"
	file, cleanup, err := diskFile(32 << 20)
	if err != nil {
		b.add(Row{Workload: wl, Tool: "hardirqs", Tracer: "probebox", Status: "skipped", Figure: "BPF ns per program run", Note: err.Error()})
		return
	}
	defer cleanup()
	b.catalogueRow(wl, "hardirqs", "bioread", []string{strconv.Itoa(max(b.cfg.IOs/5, 100)), file}, nil)
}

// diskFile writes a file of size bytes (data, not holes: reads of holes
// reach no disk) on a disk-backed file system: the temporary directory,
// else the current one; cleanup removes it (also on an interrupt).
func diskFile(size int) (path string, cleanup func(), err error) {
	wd, _ := os.Getwd()
	for _, dir := range []string{os.TempDir(), wd} {
		var st syscall.Statfs_t
		// tmpfs and ramfs: no device behind them.
		if dir == "" || syscall.Statfs(dir, &st) != nil || st.Type == 0x01021994 || st.Type == 0x858458f6 {
			continue
		}
		f, err := os.CreateTemp(dir, "probebox-bench-irq-")
		if err != nil {
			continue
		}
		path = f.Name()
		cleanup = atInterrupt(func() { os.Remove(path) })
		_, err = f.Write(make([]byte, size))
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			cleanup()
			return "", nil, err
		}
		return path, cleanup, nil
	}
	return "", nil, fmt.Errorf("no disk-backed directory (the temporary and the current one are tmpfs)")
}

// userFunctions: the uprobe tools on a C workload (cworkload.c): memleak
// -p on a malloc/free loop (its cost per pair, and with -s 10 sampling),
// and funccount on a function called in a loop. Debian's libbpf-tools
// has neither tool; funccount's figure is compared with bpftrace's
// count() on the same uprobe.
func (b *bench) userFunctions() {
	if _, err := b.buildCWorkload(); err != nil {
		for _, tool := range []string{"memleak", "funccount"} {
			b.add(Row{Workload: "catalogue: user functions", Tool: tool, Tracer: "probebox", Status: "skipped", Figure: "BPF ns per event", Note: err.Error()})
		}
		return
	}
	pairs := []string{strconv.Itoa(b.cfg.Count)}
	for _, own := range [][]string{nil, {"-s", "10"}} {
		tool := "memleak"
		if own != nil {
			tool = "memleak -s 10"
		}
		if !b.hasApplet("memleak") {
			b.add(Row{Workload: "catalogue: malloc/free pairs", Tool: tool, Tracer: "probebox", Status: "absent", Figure: "BPF ns per event", Note: "memleak is not in this probebox"})
			break
		}
		argv := append(append([]string{b.cfg.Probebox, "memleak", "-p", "$PID"}, own...), "5")
		b.compare("catalogue: malloc/free pairs", tool, "mallocloop", pairs, []tracer{{Name: "probebox", Argv: argv, lost: probeboxLost}}, true, nil)
	}
	if !b.hasApplet("funccount") {
		b.add(Row{Workload: "catalogue: user function calls", Tool: "funccount", Tracer: "probebox", Status: "absent", Figure: "BPF ns per event", Note: "funccount is not in this probebox"})
		return
	}
	calls := []string{strconv.Itoa(b.cfg.Count * 5)}
	ts := []tracer{{Name: "probebox", Argv: []string{b.cfg.Probebox, "funccount", "-p", "$PID", cWorkload + ":pbx_hot"}, lost: probeboxLost}}
	if p := b.peer("bpftrace"); p != "" {
		ts = append(ts, tracer{Name: "bpftrace", Argv: []string{p, "-e", "uprobe:" + cWorkload + ":pbx_hot /pid == $PID/ { @calls = count(); }"}, lost: peerLost})
	}
	b.compare("catalogue: user function calls", "funccount", "callloop", calls, ts, true, nil)
}
