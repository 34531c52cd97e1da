// Package netqtop summarizes one network interface's packets per transmit
// and receive queue each interval, as bcc's netqtop prints them: per
// queue the average size and the packets in each size column ([0, 64),
// [64, 512), [512, 2K), [2K, 16K), [16K, 64K): the last also holds larger
// GSO packets), a Total row, with -t also BPS and PPS; -n NAME names the
// interface (required), -i the interval in seconds (fractions allowed,
// default 1). --netns PATH (a probebox addition) finds the interface in
// another network namespace (/run/netns/NAME, /proc/PID/ns/net).
//
// Hooks: the net:net_dev_start_xmit tracepoint (transmit, on the queue
// the stack picked) and net:netif_receive_skb (receive, on the queue the
// driver recorded, else 0), as tp_btf, raw or tracefs tracepoints. The
// interface is matched by ifindex and network namespace in the kernel.
// The queues listed are those sysfs shows (in use) for an interface of
// this namespace, else those the device has (netlink). Counters are
// cumulative per-CPU arrays: nothing can fill or be lost between reads.
//
// --json prints one object per interval: summary, time, interval_s, tx
// and rx, each {queues: [{queue, packets, bytes, avg_size, sizes: [{low,
// high, count}]}], total} (the last size bucket has no high).
//
// On the development machine (6.18), `netqtop -n lo -i 2` while Python
// sent UDP datagrams of 10, 100, 1000, 5000 and 20000 bytes to 127.0.0.1
// among other engineers' loopback traffic (each packet is seen leaving
// and arriving on lo; received lengths are without the Ethernet header):
//
//	Wed Dec  2 00:51:20 2026
//	TX
//	 QueueID    avg_size   [0, 64)   [64, 512)  [512, 2K)  [2K, 16K)  [16K, 64K)
//	    0         537          1         52          4          1          1
//	 Total        537          1         52          4          1          1
//
//	RX
//	 QueueID    avg_size   [0, 64)   [64, 512)  [512, 2K)  [2K, 16K)  [16K, 64K)
//	    0         523         50          3          4          1          1
//	 Total        523         50          3          4          1          1
//	----------------------------------------------------------------------------
package netqtop
