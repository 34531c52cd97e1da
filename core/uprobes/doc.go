// Package uprobes is what the tools that probe a library or a program
// share (threadsnoop, gethostlatency, bashreadline, sslsniff): finding the
// file the way the dynamic loader would (the process's own mappings with
// -p, else /etc/ld.so.cache, else the usual library directories), through
// /proc/PID/root for a process in another mount namespace, and attaching
// uprobes and uretprobes to its functions as links the loaded object owns
// (so Close and --max-cpu detach them with the rest).
package uprobes
