// Package kbtf finds the kernel BTF that CO-RE relocations are made
// against: --btf FILE, then $PROBEBOX_BTF, then /sys/kernel/btf/vmlinux,
// then the usual vmlinux files for the running kernel's release.
package kbtf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"
)

// EnvVar names the environment variable that points at a BTF file.
const EnvVar = "PROBEBOX_BTF"

const sysfsPath = "/sys/kernel/btf/vmlinux"

var (
	cacheMu sync.Mutex
	cache   *btf.Cache
)

// SharedCache is the process's one btf.Cache: kernel BTF is decoded once
// (until Release).
func SharedCache() *btf.Cache {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if cache == nil {
		cache = btf.NewCache()
	}
	return cache
}

// Release drops the shared cache once programs are loaded: decoded kernel
// BTF is most of a tool's memory and nothing needs it while tracing. A
// later SharedCache decodes it again.
func Release() {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	cache = nil
	releaseRaw()
}

// Resolver says where to look; Default fills it for the running system.
type Resolver struct {
	Explicit  string
	Env       func(string) string
	SysfsPath string
	Release   string
	Root      string // prefix for the vmlinux search paths
	Cache     *btf.Cache
}

// Result is the BTF found.
type Result struct {
	Path   string
	Source string // "flag", "env PROBEBOX_BTF", "sysfs", "vmlinux"
	Spec   *btf.Spec
	// IsRunningKernel: the sysfs BTF, which loaders use through the shared
	// cache instead of passing KernelTypes.
	IsRunningKernel bool
}

// Default is the resolver for this machine.
func Default(explicit string) *Resolver {
	var uts unix.Utsname
	unix.Uname(&uts)
	return &Resolver{
		Explicit:  explicit,
		Env:       os.Getenv,
		SysfsPath: sysfsPath,
		Release:   unix.ByteSliceToString(uts.Release[:]),
		Cache:     SharedCache(),
	}
}

func (r *Resolver) vmlinuxPaths() []string {
	rel := r.Release
	paths := []string{
		"/boot/vmlinux-" + rel,
		"/lib/modules/" + rel + "/vmlinux-" + rel,
		"/lib/modules/" + rel + "/build/vmlinux",
		"/usr/lib/modules/" + rel + "/kernel/vmlinux",
		"/usr/lib/debug/boot/vmlinux-" + rel,
		"/usr/lib/debug/boot/vmlinux-" + rel + ".debug",
		"/usr/lib/debug/lib/modules/" + rel + "/vmlinux",
	}
	for i, p := range paths {
		paths[i] = filepath.Join(r.Root+"/", p)
	}
	return paths
}

// Candidates lists, in order, every place Resolve looks.
func (r *Resolver) Candidates() []string {
	var c []string
	if r.Explicit != "" {
		c = append(c, r.Explicit)
	}
	if v := r.env(); v != "" {
		c = append(c, v)
	}
	c = append(c, r.SysfsPath)
	return append(c, r.vmlinuxPaths()...)
}

func (r *Resolver) env() string {
	if r.Env == nil {
		return ""
	}
	return r.Env(EnvVar)
}

// Available reports whether Resolve would find a BTF file, without
// decoding it (a preprocessor's BPFTRACE_HAVE_BTF: decoding a kernel's
// BTF takes tens of milliseconds).
func (r *Resolver) Available() bool {
	for _, p := range r.Candidates() {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

// Resolve finds and loads the BTF.
func (r *Resolver) Resolve() (*Result, error) {
	if r.Explicit != "" {
		return loadFile(r.Explicit, "flag")
	}
	if v := r.env(); v != "" {
		res, err := loadFile(v, "env "+EnvVar)
		if err != nil {
			return nil, fmt.Errorf("%s=%s: %w", EnvVar, v, err)
		}
		return res, nil
	}
	if _, err := os.Stat(r.SysfsPath); err == nil {
		res, err := r.loadSysfs()
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	for _, p := range r.vmlinuxPaths() {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if res, err := loadFile(p, "vmlinux"); err == nil {
			return res, nil
		}
	}
	return nil, fmt.Errorf("no kernel BTF found (looked at %s): pass --btf FILE or set %s; a kernel built with CONFIG_DEBUG_INFO_BTF=y provides %s",
		strings.Join(r.Candidates(), ", "), EnvVar, sysfsPath)
}

func (r *Resolver) loadSysfs() (*Result, error) {
	// The shared cache reads the real /sys/kernel/btf/vmlinux; a fake sysfs
	// path (tests) is read as a plain file.
	if r.SysfsPath == sysfsPath && r.Cache != nil {
		spec, err := r.Cache.Kernel()
		if err != nil {
			return nil, fmt.Errorf("reading kernel BTF %s: %w", sysfsPath, err)
		}
		return &Result{Path: sysfsPath, Source: "sysfs", Spec: spec, IsRunningKernel: true}, nil
	}
	res, err := loadFile(r.SysfsPath, "sysfs")
	if err != nil {
		return nil, err
	}
	res.IsRunningKernel = true
	return res, nil
}

func loadFile(path, source string) (*Result, error) {
	spec, err := btf.LoadSpec(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("BTF file %s does not exist", path)
		}
		return nil, fmt.Errorf("BTF file %s: %w", path, err)
	}
	return &Result{Path: path, Source: source, Spec: spec}, nil
}
