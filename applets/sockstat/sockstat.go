package sockstat

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

func init() { applet.Register(Applet) }

// Applet is sockstat's registration.
var Applet = &applet.Applet{
	Name:    "sockstat",
	Needs:   []applet.Need{{For: "socket tables (sock_diag netlink, no BPF)"}},
	Summary: "Count sockets by protocol, family and state (like ss -s)",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary now)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "N", Long: "netns", Kind: applet.String, Meta: "PATH", Usage: "count in this network namespace (/run/netns/NAME, /proc/PID/ns/net)"},
		applet.JSONFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"sockstat", "count this namespace's sockets by protocol, family and state"},
		{"sockstat 1", "every second"},
		{"sockstat -N /proc/1234/ns/net", "count the sockets of PID 1234's network namespace"},
		{"sockstat --json 5 3", "three JSON summaries, 5 seconds apart"},
	},
	Run: run,
}

type config struct {
	timestamp, json, verbose bool
	netns                    string
	every                    time.Duration
	count                    int
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{timestamp: inv.Bool("timestamp"), json: inv.Bool("json"), verbose: inv.Bool("verbose"), netns: inv.String("netns")}
	if len(inv.Args) > 2 {
		return nil, applet.Usagef("unrecognized positional argument %q", inv.Args[2])
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	return c, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	d, err := openDiag(cfg.netns)
	if err != nil {
		return err
	}
	defer d.close()
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": counting through sock_diag (netlink) in network namespace "+d.nsName()+"\n")
	}
	p := &printer{cfg: cfg, now: time.Now, netns: d.inode}
	var buf bytes.Buffer
	summary := func(bool) error {
		counts, err := d.count()
		if err != nil {
			return err
		}
		buf.Reset()
		p.summary(&buf, counts)
		_, err = inv.Stdout.Write(buf.Bytes())
		return err
	}
	if cfg.every == 0 {
		return summary(true) // as ss -s: once, now
	}
	return interval.Run(ctx, cfg.every, cfg.count, summary)
}
