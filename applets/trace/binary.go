package trace

import "github.com/probebox/probebox/core/uprobes"

// Binary finds a uprobe's or usdt probe's file in bpftrace's order: a
// path (with -p, the one that process sees through /proc/PID/root), else
// a program (with -p the one it maps by that name, else a command in
// $PATH), else a library as the dynamic loader finds it ("libssl" is
// libssl.so.3).
func (e *kernelEnv) Binary(name string, pid uint32) (string, error) {
	return uprobes.Find(name, int(pid), uprobes.ProgramFirst)
}
