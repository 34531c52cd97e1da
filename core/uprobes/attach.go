package uprobes

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/cilium/ebpf/link"

	"github.com/probebox/probebox/core/loader"
)

// Probe is one program on one function of a file.
type Probe struct {
	Symbol  string
	Program string
	Return  bool // a uretprobe
	// Optional: a file without the function is not an error (SSL_read_ex
	// exists only from OpenSSL 1.1.1).
	Optional bool
}

// Attach puts probes on the functions of the ELF file at path; pid > 0
// limits them to that process in the kernel. The links belong to obj.
// It returns the probes attached; a missing optional function is skipped.
func Attach(obj *loader.Object, path string, pid int, probes []Probe) ([]Probe, error) {
	ex, err := link.OpenExecutable(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	var done []Probe
	for _, p := range probes {
		prog := obj.Coll.Programs[p.Program]
		if prog == nil {
			return done, fmt.Errorf("internal: BPF object has no program %q", p.Program)
		}
		opts := &link.UprobeOptions{PID: pid}
		var l link.Link
		if p.Return {
			l, err = ex.Uretprobe(p.Symbol, prog, opts)
		} else {
			l, err = ex.Uprobe(p.Symbol, prog, opts)
		}
		if errors.Is(err, link.ErrNoSymbol) {
			if p.Optional {
				continue
			}
			return done, fmt.Errorf("%s has no function %s", filepath.Base(path), p.Symbol)
		}
		if err != nil {
			kind := "uprobe"
			if p.Return {
				kind = "uretprobe"
			}
			return done, fmt.Errorf("attaching a %s to %s in %s: %w", kind, p.Symbol, path, err)
		}
		obj.Adopt(l)
		done = append(done, p)
	}
	return done, nil
}
