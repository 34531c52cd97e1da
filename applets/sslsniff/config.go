package sslsniff

import "github.com/probebox/probebox/core/applet"

const (
	maxBuf  = 8192 // SSL_MAX_BUF
	commLen = 16
)

type config struct {
	pid, uid, maxBuf                          int
	comm, btf                                 string
	extra, noOpenSSL, noGnuTLS, hexdump       bool
	latency, handshake, json, verbose, hasUID bool
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		pid: inv.Int("pid"), uid: inv.Int("uid"), maxBuf: inv.Int("max-buffer-size"), comm: inv.String("comm"), btf: inv.String("btf"),
		extra: inv.Bool("extra"), noOpenSSL: inv.Bool("no-openssl"), noGnuTLS: inv.Bool("no-gnutls"), hexdump: inv.Bool("hexdump"),
		latency: inv.Bool("latency"), handshake: inv.Bool("handshake"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		hasUID: inv.IsSet("uid"),
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("sslsniff takes no arguments (got %q)", inv.Args[0])
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	if c.hasUID && (c.uid < 0 || c.uid >= 1<<32-1) {
		return nil, applet.Usagef("invalid UID %d for -u", c.uid)
	}
	if c.maxBuf < 1 || c.maxBuf > maxBuf {
		return nil, applet.Usagef("invalid --max-buffer-size %d: want 1-%d", c.maxBuf, maxBuf)
	}
	if inv.IsSet("comm") && c.comm == "" {
		return nil, applet.Usagef("-c needs a non-empty COMMAND")
	}
	if len(c.comm) >= commLen {
		return nil, applet.Usagef("-c COMMAND %q is longer than a task name (at most %d characters)", c.comm, commLen-1)
	}
	if c.noOpenSSL && c.noGnuTLS {
		return nil, applet.Usagef("--no-openssl and --no-gnutls leave nothing to sniff")
	}
	return c, nil
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	m := map[string]any{"max_buf": uint32(c.maxBuf)}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	if c.hasUID {
		m["filter_uid"] = uint32(c.uid)
	}
	if c.comm != "" {
		var comm [commLen]byte
		copy(comm[:], c.comm)
		m["filter_comm"] = comm
		m["filter_comm_len"] = int32(len(c.comm))
	}
	return m
}
