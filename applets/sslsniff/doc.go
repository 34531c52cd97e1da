// Package sslsniff shows the plaintext of TLS traffic as the program
// hands it to its TLS library or gets it back, as bcc's sslsniff does:
// uprobes and uretprobes on OpenSSL's SSL_read, SSL_write, SSL_read_ex and
// SSL_write_ex (libssl, found as the dynamic loader finds it; with -p the
// one that process maps, through /proc/PID/root for containers) and on
// GnuTLS's gnutls_record_recv and gnutls_record_send where libgnutls is
// installed. --handshake adds SSL_do_handshake (gnutls_handshake): its
// result in the LEN column and its latency. NSS is not probed (-n is
// accepted for bcc's sake). Programs that link their TLS library
// statically (Go, many Rust binaries) are not seen.
//
// Up to --max-buffer-size bytes (8192 at most) of each call are copied;
// a longer call is framed "DATA (TRUNCATED)" with the bytes lost. The data
// is escaped for terminals (newlines and tabs kept); --hexdump prints it
// in hex, 16 bytes a line. --json fields: func, timestamp_ns, time_s,
// comm, pid, tid, uid, lat_ms, ret, and for reads and writes len,
// captured, truncated and data (base64). Calls in flight are kept per
// thread in a map of 10240 entries; a full map is reported.
//
// On the development machine (6.18, uprobes on libssl.so.3 and
// libgnutls.so.30), openssl s_client and s_server talking on 127.0.0.1:
//
//	# sslsniff -l --handshake -c openssl
//	FUNC         TIME(s)            COMM             PID     LEN    LAT(ms)
//	WRITE/SEND   0.000000000        openssl          10248   19     0.055
//	----- DATA -----
//	client-payload-pbx
//
//	----- END DATA -----
//
//	HANDSHAKE    0.006273396        openssl          10217   1      22.156
//	READ/RECV    0.006416169        openssl          10217   19     0.046
//	----- DATA -----
//	client-payload-pbx
//
//	----- END DATA -----
package sslsniff
