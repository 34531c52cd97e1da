package main

import (
	"os"
	"path/filepath"
	"strconv"
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
