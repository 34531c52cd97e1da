package probes

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// Lister lists probes from the given sources; zero values mean the
// running system's.
type Lister struct {
	TracefsDir string                              // where tracefs is mounted
	KernelBTF  func() (*btf.Spec, error)           // kernel BTF
	Kallsyms   string                              // /proc/kallsyms
	Open       func(string) (io.ReadCloser, error) // for tests; os.Open
}

func (l *Lister) open(path string) (io.ReadCloser, error) {
	if l.Open != nil {
		return l.Open(path)
	}
	return os.Open(path)
}

// List calls emit with every probe name matching pattern, kind by kind.
// uprobe and usdt need a binary: "uprobe:/bin/bash:read*".
func (l *Lister) List(pattern string, emit func(string) error) error {
	kindNames, glob := splitPattern(pattern)
	single := len(kindNames) == 1
	for _, k := range kindNames {
		err := l.listKind(k, glob, emit)
		if err == nil {
			continue
		}
		if errors.Is(err, errStop) {
			return nil
		}
		// Listing everything: a source this kernel lacks is skipped; asked
		// for by name, it is an error the user should see.
		if single {
			return err
		}
	}
	return nil
}

// errStop lets emit end the listing early (a closed pipe).
var errStop = errors.New("stop listing")

// StopListing is returned by emit to end a listing without error.
func StopListing() error { return errStop }

func (l *Lister) listKind(kind, glob string, emit func(string) error) error {
	match := func(name string) error {
		if Match(glob, name) {
			return emit(name)
		}
		return nil
	}
	switch kind {
	case "tracepoint":
		return l.tracepoints(match)
	case "rawtracepoint":
		return l.btfNames("btf_trace_", "rawtracepoint:", match)
	case "fentry", "fexit":
		return l.btfFuncs(kind+":", match)
	case "kprobe", "kretprobe":
		return l.kprobes(kind+":", match)
	case "uprobe", "uretprobe", "usdt":
		return l.binaryProbes(kind, glob, match)
	case "software":
		return fixed("software:", softwareEvents, ":", match)
	case "hardware":
		return fixed("hardware:", hardwareEvents, ":", match)
	case "interval", "profile":
		return fixed(kind+":", timerUnits, ":", match)
	case "watchpoint":
		return nil // addresses, not names: nothing to list
	}
	return fmt.Errorf("unknown probe type %q", kind)
}

func fixed(prefix string, names []string, suffix string, match func(string) error) error {
	for _, n := range names {
		if err := match(prefix + n + suffix); err != nil {
			return err
		}
	}
	return nil
}

// tracepoints reads available_events ("group:name" lines), sorted.
func (l *Lister) tracepoints(match func(string) error) error {
	if l.TracefsDir == "" {
		return errors.New("tracefs is not available")
	}
	f, err := l.open(filepath.Join(l.TracefsDir, "available_events"))
	if err != nil {
		return fmt.Errorf("listing tracepoints: %w", err)
	}
	defer f.Close()
	var names []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		names = append(names, "tracepoint:"+s.Text())
	}
	sort.Strings(names)
	for _, n := range names {
		if err := match(n); err != nil {
			return err
		}
	}
	return s.Err()
}

func (l *Lister) kernelBTF() (*btf.Spec, error) {
	if l.KernelBTF == nil {
		return nil, errors.New("no kernel BTF")
	}
	return l.KernelBTF()
}

// btfNames lists typedefs named prefix+X as kind+X (raw tracepoints).
func (l *Lister) btfNames(prefix, kind string, match func(string) error) error {
	spec, err := l.kernelBTF()
	if err != nil {
		return fmt.Errorf("listing raw tracepoints needs kernel BTF: %w", err)
	}
	var names []string
	for typ, err := range spec.All() {
		if err != nil {
			return err
		}
		if td, ok := typ.(*btf.Typedef); ok && strings.HasPrefix(td.Name, prefix) {
			names = append(names, kind+strings.TrimPrefix(td.Name, prefix))
		}
	}
	return emitSorted(names, match)
}

// btfFuncs lists kernel functions described in BTF (fentry/fexit targets).
func (l *Lister) btfFuncs(kind string, match func(string) error) error {
	spec, err := l.kernelBTF()
	if err != nil {
		return fmt.Errorf("listing %s probes needs kernel BTF: %w", strings.TrimSuffix(kind, ":"), err)
	}
	var names []string
	for typ, err := range spec.All() {
		if err != nil {
			return err
		}
		if fn, ok := typ.(*btf.Func); ok {
			names = append(names, kind+fn.Name)
		}
	}
	return emitSorted(names, match)
}

func emitSorted(names []string, match func(string) error) error {
	sort.Strings(names)
	prev := ""
	for _, n := range names {
		if n == prev {
			continue
		}
		prev = n
		if err := match(n); err != nil {
			return err
		}
	}
	return nil
}

// kprobes streams available_filter_functions, else kallsyms text symbols.
func (l *Lister) kprobes(kind string, match func(string) error) error {
	if l.TracefsDir != "" {
		if f, err := l.open(filepath.Join(l.TracefsDir, "available_filter_functions")); err == nil {
			defer f.Close()
			return streamNames(f, kind, func(line string) string {
				name, _, _ := strings.Cut(line, " ") // "fn [module]"
				return name
			}, match)
		}
	}
	path := l.Kallsyms
	if path == "" {
		path = "/proc/kallsyms"
	}
	f, err := l.open(path)
	if err != nil {
		return fmt.Errorf("listing kprobes: %w", err)
	}
	defer f.Close()
	return streamNames(f, kind, func(line string) string {
		// "ffffffff81000000 T _stext"
		f := strings.Fields(line)
		if len(f) < 3 || (f[1] != "t" && f[1] != "T") {
			return ""
		}
		return f[2]
	}, match)
}

func streamNames(r io.Reader, kind string, name func(string) string, match func(string) error) error {
	s := bufio.NewScanner(r)
	seen := map[string]bool{}
	for s.Scan() {
		n := name(s.Text())
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		if err := match(kind + n); err != nil {
			return err
		}
	}
	return s.Err()
}
