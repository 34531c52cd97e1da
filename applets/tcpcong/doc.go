// Package tcpcong sums the time TCP connections spend in each
// congestion-control state (open, disorder, recovery, cwr, loss) and
// their state changes, per connection, as libbpf-tools' and bcc's tcpcong
// print them (-T clock, -u microseconds, -d histograms per state, -L/-R
// local and remote port ranges filtered in the kernel; [interval]
// [outputs] as bcc, -i/-o as libbpf-tools; -t, -l, -r, -m accepted as the
// other spellings). Without an interval, one summary at Ctrl-C.
//
// Hooks: the tcp:tcp_cong_state_set tracepoint (6.0+; tp_btf, else raw,
// else tracefs), which tcp_set_ca_state fires before the socket takes the
// new state; and sock:inet_sock_set_state, which starts a connection's
// clock when it is established and forgets it when it closes. A
// connection established before the tool started gets its clock at its
// first change seen (its time in the state before is not known and not
// counted); the time in the state a connection is in at the end of an
// interval is counted when it leaves that state (as the peers). Kernels
// without the tracepoint get a one-line refusal naming it.
//
// --json prints one object per summary: summary, time (-T), connections
// [{ip, laddr, lport, raddr, rport, unit, open, disorder, cwr, recovery,
// loss, changes}] or with -d histograms [{state, unit, buckets}],
// not_counted {"since": N, "stats": N, "hists": N}.
//
// On the development machine (6.18), `tcpcong -T` while the live test
// dropped two connections' segments (IPv4, IPv6) for a while:
//
//	Tracing tcp congestion control status duration... Hit Ctrl-C to end.
//
//	00:41:12
//	LAddrPort                        RAddrPort                        Open_ms Dod_ms Rcov_ms Cwr_ms Los_ms Chgs
//	127.0.0.1/46824                  127.13.188.24/40805              933     0       0       0      428    2
//	LAddrPort6                       RAddrPort6                       Open_ms Dod_ms Rcov_ms Cwr_ms Los_ms Chgs
//	::1/39420                        ::1/41079                        932     0       0       0      428    2
//
// and `tcpcong -d` during the same test (the 0 -> 255 rows left out here):
//
//	Tracing tcp congestion control status duration... Hit Ctrl-C to end.
//
//	tcp_congest_state = open
//	     msecs               : count    distribution
//	       256 -> 511        : 0        |                                        |
//	       512 -> 1023       : 2        |****************************************|
//	tcp_congest_state = loss
//	     msecs               : count    distribution
//	       256 -> 511        : 2        |****************************************|
package tcpcong
