// Package uprobes is what the tools that probe a library or a program
// share (threadsnoop, gethostlatency, bashreadline, sslsniff, memleak, the
// function tools of internal/funcs and trace's uprobe/usdt probes):
// finding the file the way the dynamic loader would (the process's own
// mappings with -p, else /etc/ld.so.cache, else the usual library
// directories), or a program (the process's own with -p, else $PATH) in
// bcc's or bpftrace's order, through /proc/PID/root for a process in
// another mount namespace, and attaching uprobes and uretprobes to its
// functions as links the loaded object owns (so Close and --max-cpu
// detach them with the rest).
package uprobes
