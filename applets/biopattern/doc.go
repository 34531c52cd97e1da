// Package biopattern shows, per disk, the share of block I/O requests
// that started where the disk's previous request ended (sequential) and
// of those that did not (random), with counts and bytes, as libbpf-tools'
// biopattern does. Counted at request completion in a BPF map; only the
// per-disk counters are copied out.
//
// On the development machine (6.18), dd writing 8 KiB blocks one after the
// other on a loop device, then reading five scattered 4 KiB blocks:
//
//	# biopattern -T -e 2 1
//	Tracing block device I/O requested seeks... Hit Ctrl-C to end.
//	TIME      DISK     %RND  %SEQ    COUNT     KBYTES   RANDOM SEQUENTIAL  AVGKB
//	20:55:06  loop0       0    99      505       4020        5        500    8.0
//	20:55:06  vda        97     2       37      11260       36          1  304.3
//
// Percentages are whole numbers rounded down, as libbpf-tools prints them.
// -e (extended) adds the random and sequential counts and the average
// request size in KiB. A disk with no completed I/O in an interval is not
// shown.
//
// --json prints one object per summary: summary (1-based), time (with -T),
// disks (by name: {"disk","random_pct","sequential_pct","count","kbytes",
// "random","sequential","bytes"}), and not_counted {"counters": N}, the
// requests of disks the full map had no room for.
package biopattern
