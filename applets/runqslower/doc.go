// Package runqslower prints each run queue wait longer than a threshold
// (min_us, default 10000): the thread that waited, how long, and with -P
// the thread that was switched out to let it run, as libbpf-tools'
// runqslower does. A thread enters the queue on sched_wakeup /
// sched_wakeup_new or when preempted while runnable, and leaves it at
// sched_switch (tp_btf, else raw tracepoints); -p and -t are applied in
// the kernel, where the wait starts.
//
// --json prints one object per wait: time ("HH:MM:SS"), comm, tid, pid
// (the thread's process), lat_us, prev_comm, prev_tid and cpu.
//
// Output on the development machine (2 shared cores, a build running),
// runqslower -P 5000:
//
//	Tracing run queue latency higher than 5000 us
//	TIME     COMM             TID           LAT(us) PREV COMM        PREV TID
//	20:53:27 go               16420            5237 go               16422
//	20:53:27 go               16408           13269 kworker/0:11     24580
//	20:53:27 apt-cache        16260           12007 rcu_preempt      15
//	20:53:27 go               15602            8495 vet              16399
//	20:53:27 vet              16372           13506 go               15602
//	20:53:27 clang-19         16357           12009 vet              16405
package runqslower
