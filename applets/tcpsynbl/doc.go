// Package tcpsynbl summarizes the accept backlog of listening TCP sockets
// each time a handshake completes, as log2 histograms keyed by the
// listener's backlog limit (backlog_max), as libbpf-tools' tcpsynbl
// prints them (-T clock, -4/-6 in the kernel, [interval] [count]).
//
// Hooks, best first: fentry, else kprobes, on tcp_v4_syn_recv_sock /
// tcp_v6_syn_recv_sock; else sock:inet_sock_set_state's LISTEN ->
// SYN_RECV of the new child socket, which that function makes as a copy
// of the listener, so its backlog fields are the listener's then.
//
// --json prints one object per summary: summary, time (-T), histograms
// [{"backlog_max", "unit": "backlog", "buckets": [{"low","high","count"}]}],
// not_counted {"hists": N}.
//
// On the development machine (6.18), `tcpsynbl` while Python connected
// seven times to a listener of backlog 4 that never accepted (five
// handshakes fit, the kernel dropped the other SYNs):
//
//	Tracing SYN backlog size. Ctrl-C to end.
//
//	backlog_max = 4
//	     backlog             : count    distribution
//	         0 -> 1          : 2        |****************************************|
//	         2 -> 3          : 2        |****************************************|
//	         4 -> 7          : 1        |********************                    |
package tcpsynbl
