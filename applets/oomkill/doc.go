// Package oomkill traces OOM killer kills as libbpf-tools' oomkill does:
// the process that triggered the OOM (the task running when the kill was
// decided), the victim, a size in pages and the load average when the
// line is printed.
//
// Hooks: kprobe on oom_kill_process() where the kernel has kprobes; PAGES
// is then the OOM domain's size (oc->totalpages: the machine's, or the
// memory cgroup's limit). Otherwise the oom:mark_victim tracepoint (tp_btf,
// raw_tp), on the same path; PAGES is then the victim's total_vm, as -v
// and --json's pages_of ("oom_domain" or "victim_total_vm") say.
//
// --json fields: time, timestamp_ns, trigger_pid, trigger_comm,
// victim_pid, victim_comm, pages, pages_of, loadavg.
//
// On the development machine (6.18, tp_btf; a python3 in a 16 MB memory
// cgroup):
//
//	# oomkill
//	Tracing OOM kills... Ctrl-C to stop.
//	21:34:03 Triggered by PID 4394 ("python3"), OOM kill of PID 4394 ("python3"), 55342 pages, loadavg: 29.75 30.99 25.95 33/307 4701
package oomkill
