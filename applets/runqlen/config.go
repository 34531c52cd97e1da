package runqlen

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

const (
	minFreq = 1
	maxFreq = 10000
)

type config struct {
	perCPU, occupancy, timestamp, json, verbose bool
	freq                                        int
	btf                                         string
	every                                       time.Duration
	count                                       int
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		perCPU: inv.Bool("cpus"), occupancy: inv.Bool("runqocc"), timestamp: inv.Bool("timestamp"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), freq: inv.Int("frequency"), btf: inv.String("btf"),
	}
	if c.freq < minFreq || c.freq > maxFreq {
		return nil, applet.Usagef("invalid frequency %d for -f: must be %d-%d Hz", c.freq, minFreq, maxFreq)
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	return c, nil
}
