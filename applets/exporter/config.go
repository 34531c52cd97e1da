package exporter

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v2"

	"github.com/probebox/probebox/core/applet"
)

// options are the collectors' settings: the --config file's, with
// --collectors taking precedence over its list.
type options struct {
	Collectors []string `yaml:"collectors"`
	// Opt-in labels; each is capped at MaxLabelValues series per metric,
	// the rest counted under "other".
	TCPPorts       bool `yaml:"tcp_ports"`     // port label on the TCP counters
	TCPAddresses   bool `yaml:"tcp_addresses"` // remote address label on the TCP counters
	MaxLabelValues int  `yaml:"max_label_values"`
	RunqlatCgroups bool `yaml:"runqlat_cgroups"` // a cgroup label on the run queue histogram
	// MaxKeys sizes the BPF maps the opt-in labels are counted in.
	MaxKeys int `yaml:"max_keys"`
	// MaxDevices caps biolatency's device label.
	MaxDevices int `yaml:"max_devices"`
	// MaxHardirqs caps hardirqs' irq (handler name) label.
	MaxHardirqs int `yaml:"max_hardirqs"`

	btf string // --btf
}

const (
	defaultMaxLabelValues = 20
	defaultMaxKeys        = 1024
	defaultMaxDevices     = 64
	defaultMaxHardirqs    = 64
	limitKeys             = 1 << 16
)

func defaultOptions() *options {
	return &options{MaxLabelValues: defaultMaxLabelValues, MaxKeys: defaultMaxKeys, MaxDevices: defaultMaxDevices, MaxHardirqs: defaultMaxHardirqs}
}

// readConfig reads a --config file; anything it cannot use (a typo in a
// key, a bad value) is an error, so a mistake is not silently ignored.
func readConfig(path string) (*options, error) {
	opt := defaultOptions()
	if path == "" {
		return opt, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, applet.Usagef("--config: %v", err)
	}
	if err := yaml.UnmarshalStrict(data, opt); err != nil {
		return nil, applet.Usagef("--config %s: %s", path, oneLine(err.Error()))
	}
	return opt, opt.check()
}

func (o *options) check() error {
	if o.MaxLabelValues < 1 || o.MaxLabelValues > 10000 {
		return applet.Usagef("max_label_values %d: must be between 1 and 10000", o.MaxLabelValues)
	}
	if o.MaxKeys < 1 || o.MaxKeys > limitKeys {
		return applet.Usagef("max_keys %d: must be between 1 and %d", o.MaxKeys, limitKeys)
	}
	if o.MaxDevices < 1 || o.MaxDevices > 10000 {
		return applet.Usagef("max_devices %d: must be between 1 and 10000", o.MaxDevices)
	}
	if o.MaxHardirqs < 1 || o.MaxHardirqs > 1024 {
		return applet.Usagef("max_hardirqs %d: must be between 1 and 1024", o.MaxHardirqs)
	}
	return nil
}

// pick resolves the collector list (comma-separated, or "all") against
// the known kinds; an unknown name is a usage error listing them.
func pick(names []string) ([]kind, error) {
	if len(names) == 0 || (len(names) == 1 && names[0] == "all") {
		return kinds(), nil
	}
	var out []kind
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		i := slices.IndexFunc(kinds(), func(k kind) bool { return k.name == n })
		if i < 0 {
			return nil, applet.Usagef("unknown collector %q: known collectors are %s", n, strings.Join(kindNames(), ", "))
		}
		if !slices.ContainsFunc(out, func(k kind) bool { return k.name == n }) {
			out = append(out, kinds()[i])
		}
	}
	if len(out) == 0 {
		return nil, applet.Usagef("no collector named: known collectors are %s", strings.Join(kindNames(), ", "))
	}
	return out, nil
}

func kindNames() []string {
	var names []string
	for _, k := range kinds() {
		names = append(names, k.name)
	}
	return names
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var _ = fmt.Sprintf
