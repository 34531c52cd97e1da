//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* netqtop: packets and their sizes per transmit and receive queue of one
 * network device.
 *
 * Hooks: the net:net_dev_start_xmit tracepoint (a packet handed to the
 * driver, on the queue the stack picked) and net:netif_receive_skb (a
 * packet received, on the queue the driver recorded; queue 0 when it
 * recorded none), as tp_btf, raw or tracefs tracepoints. The device is
 * matched by ifindex and network namespace, so a name used in several
 * namespaces is not confused. Counters are cumulative per-CPU arrays
 * (nothing to fill); user space prints the differences. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "netqtop.h"

const volatile __s32 target_ifindex = 0;
const volatile __u32 target_netns = 0; /* the namespace's inode number */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NETQTOP_MAX_QUEUES);
	__type(key, __u32);
	__type(value, struct netqtop_queue);
} tx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NETQTOP_MAX_QUEUES);
	__type(key, __u32);
	__type(value, struct netqtop_queue);
} rx SEC(".maps");

static __always_inline bool is_target(const struct net_device *dev)
{
	if (!dev || BPF_CORE_READ(dev, ifindex) != target_ifindex)
		return false;
	return BPF_CORE_READ(dev, nd_net.net, ns.inum) == target_netns;
}

static __always_inline void count(void *map, __u32 queue, __u32 len)
{
	struct netqtop_queue *q = bpf_map_lookup_elem(map, &queue);
	__u32 size;

	if (!q)
		return; /* a queue number past the device's (at most 1024) */
	q->bytes += len; /* per-CPU: no other CPU writes it */
	q->packets++;
	if (len < 64)
		size = 0;
	else if (len < 512)
		size = 1;
	else if (len < 2048)
		size = 2;
	else if (len < 16384)
		size = 3;
	else
		size = 4;
	q->sizes[size]++;
}

static __always_inline int on_xmit(const struct sk_buff *skb, const struct net_device *dev)
{
	if (!skb || !is_target(dev))
		return 0;
	count(&tx, BPF_CORE_READ(skb, queue_mapping), BPF_CORE_READ(skb, len));
	return 0;
}

/* skb_get_rx_queue: queue_mapping holds the receive queue plus one, 0
 * when the driver recorded none. */
static __always_inline int on_receive(const struct sk_buff *skb)
{
	__u16 q;

	if (!skb || !is_target(BPF_CORE_READ(skb, dev)))
		return 0;
	q = BPF_CORE_READ(skb, queue_mapping);
	count(&rx, q ? q - 1 : 0, BPF_CORE_READ(skb, len));
	return 0;
}

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(btf_xmit, const struct sk_buff *skb, const struct net_device *dev)
{
	return on_xmit(skb, dev);
}

SEC("raw_tp/net_dev_start_xmit")
int BPF_PROG(raw_xmit, const struct sk_buff *skb, const struct net_device *dev)
{
	return on_xmit(skb, dev);
}

SEC("tracepoint/net/net_dev_start_xmit")
int tp_xmit(struct trace_event_raw_net_dev_start_xmit *ctx)
{
	const struct sk_buff *skb = ctx->skbaddr;

	return on_xmit(skb, BPF_CORE_READ(skb, dev));
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(btf_receive, const struct sk_buff *skb)
{
	return on_receive(skb);
}

SEC("raw_tp/netif_receive_skb")
int BPF_PROG(raw_receive, const struct sk_buff *skb)
{
	return on_receive(skb);
}

SEC("tracepoint/net/netif_receive_skb")
int tp_receive(struct trace_event_raw_net_dev_template *ctx)
{
	return on_receive(ctx->skbaddr);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
