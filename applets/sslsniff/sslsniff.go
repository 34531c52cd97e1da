package sslsniff

import (
	"context"
	"fmt"
	"strings"

	bpfobj "github.com/probebox/probebox/bpfobj/sslsniff"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/uprobes"
)

func init() { applet.Register(Applet) }

// Applet is sslsniff's registration.
var Applet = &applet.Applet{
	Name:    "sslsniff",
	Needs:   []applet.Need{{Feature: "uprobes", For: "TLS reads and writes (uprobes on OpenSSL and GnuTLS)"}},
	Summary: "Sniff the plaintext of OpenSSL and GnuTLS reads and writes",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "sniff this PID only (its own libraries, through /proc/PID/root)"},
		{Short: "u", Long: "uid", Kind: applet.Int, Meta: "UID", Usage: "sniff this UID only"},
		{Short: "x", Long: "extra", Usage: "show extra fields (UID, TID)"},
		{Short: "c", Long: "comm", Kind: applet.String, Meta: "COMMAND", Usage: "sniff only commands whose name contains COMMAND"},
		{Short: "o", Long: "no-openssl", Usage: "do not show OpenSSL calls"},
		{Short: "g", Long: "no-gnutls", Usage: "do not show GnuTLS calls"},
		{Short: "n", Long: "no-nss", Usage: "do not show NSS calls (accepted for bcc's sake: NSS is not probed)"},
		{Long: "hexdump", Usage: "show data as hexdump instead of trying to decode it as UTF-8"},
		{Long: "max-buffer-size", Kind: applet.Int, Meta: "SIZE", Default: "8192", Usage: fmt.Sprintf("bytes of each read or write to show, 1-%d", maxBuf)},
		{Short: "l", Long: "latency", Usage: "show function latency"},
		{Long: "handshake", Usage: "show SSL handshake latency and result (SSL_do_handshake, gnutls_handshake)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"sslsniff", "sniff OpenSSL and GnuTLS functions"},
		{"sslsniff -p 181", "sniff PID 181 only"},
		{"sslsniff -u 1000", "sniff only UID 1000"},
		{"sslsniff -c curl", "sniff curl command only"},
		{"sslsniff --no-openssl", "don't show OpenSSL calls"},
		{"sslsniff --no-gnutls", "don't show GnuTLS calls"},
		{"sslsniff -l", "show function latency"},
		{"sslsniff -l --handshake", "show SSL handshake latency"},
		{"sslsniff --hexdump", "show data as hex instead of text"},
		{"sslsniff --json", "one JSON object per line, data in base64"},
	},
	Traces: true, // uprobes on libraries: no kernel Hooks to declare
	Run:    run,
}

// programs are all of the object's programs: the libraries found decide
// which are attached.
var programs = []string{"uprobe_read", "uprobe_write", "uprobe_read_ex", "uprobe_write_ex", "uprobe_handshake", "uprobe_gnutls_recv", "uprobe_gnutls_send", "uretprobe_ssl"}

// library is one TLS library's functions.
type library struct {
	name   string // as FindLibrary takes it
	probes []uprobes.Probe
}

func openssl(handshake bool) library {
	l := library{name: "ssl", probes: []uprobes.Probe{
		{Symbol: "SSL_read", Program: "uprobe_read"},
		{Symbol: "SSL_write", Program: "uprobe_write"},
		// OpenSSL 1.1.1 and later.
		{Symbol: "SSL_read_ex", Program: "uprobe_read_ex", Optional: true},
		{Symbol: "SSL_write_ex", Program: "uprobe_write_ex", Optional: true},
	}}
	if handshake {
		l.probes = append(l.probes, uprobes.Probe{Symbol: "SSL_do_handshake", Program: "uprobe_handshake"})
	}
	return l
}

func gnutls(handshake bool) library {
	l := library{name: "gnutls", probes: []uprobes.Probe{
		{Symbol: "gnutls_record_recv", Program: "uprobe_gnutls_recv"},
		{Symbol: "gnutls_record_send", Program: "uprobe_gnutls_send"},
	}}
	if handshake {
		l.probes = append(l.probes, uprobes.Probe{Symbol: "gnutls_handshake", Program: "uprobe_handshake"})
	}
	return l
}

// withReturns puts a return probe before each entry probe: an entry
// whose return is not probed yet would stay in the in-flight map.
func withReturns(ps []uprobes.Probe) []uprobes.Probe {
	var out []uprobes.Probe
	for _, p := range ps {
		out = append(out, uprobes.Probe{Symbol: p.Symbol, Program: "uretprobe_ssl", Return: true, Optional: p.Optional}, p)
	}
	return out
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	var libs []library
	if !cfg.noOpenSSL {
		libs = append(libs, openssl(cfg.handshake))
	}
	if !cfg.noGnuTLS {
		libs = append(libs, gnutls(cfg.handshake))
	}
	type found struct {
		lib  library
		path string
	}
	var targets []found
	var missing []string
	for _, l := range libs {
		p, err := uprobes.FindLibrary(l.name, cfg.pid)
		if err != nil {
			missing = append(missing, "lib"+l.name)
			continue
		}
		targets = append(targets, found{l, p})
	}
	if len(targets) == 0 {
		return fmt.Errorf("no TLS library to probe: %s not found (as the dynamic loader would find them)", strings.Join(missing, ", "))
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadSslsniff, BTF: cfg.btf, Verbose: inv.VerboseWriter(), Consts: cfg.consts(),
		Programs: programs,
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	v := inv.VerboseWriter()
	for _, t := range targets {
		done, err := uprobes.Attach(obj, t.path, cfg.pid, withReturns(t.lib.probes))
		if err != nil {
			return err
		}
		if v != nil {
			var fns []string
			for _, p := range done {
				if !p.Return {
					fns = append(fns, p.Symbol)
				}
			}
			fmt.Fprintf(v, "%s: uprobes and uretprobes on %s in %s\n", inv.Name, strings.Join(fns, ", "), t.path)
		}
	}
	if v != nil && len(missing) > 0 {
		fmt.Fprintf(v, "%s: not probed (not found): %s\n", inv.Name, strings.Join(missing, ", "))
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "calls", What: "reads and writes"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose, Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
