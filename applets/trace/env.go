package trace

import (
	"debug/elf"
	"errors"
	"fmt"
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/probes"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/tracefs"
)

// kernelEnv answers the compiler's questions from the running kernel.
type kernelEnv struct {
	lister *probes.Lister
	funcs  map[string]map[string]bool // HasFunction's answers, by binary
	types  map[string]btf.Type        // KernelType's answers
}

func newKernelEnv() *kernelEnv {
	l := &probes.Lister{KernelBTF: kbtf.SharedCache().Kernel}
	if dir, err := tracefs.Dir(); err == nil {
		l.TracefsDir = dir
	}
	return &kernelEnv{lister: l}
}

func (e *kernelEnv) Expand(pattern string) ([]string, error) {
	var out []string
	err := e.lister.List(pattern, func(n string) error { out = append(out, n); return nil })
	return out, err
}

func (e *kernelEnv) TracepointFields(group, name string) ([]probes.Field, error) {
	if e.lister.TracefsDir == "" {
		return nil, fmt.Errorf("tracefs is not available")
	}
	return e.lister.TracepointFields(group, name)
}

func (e *kernelEnv) FuncParams(fn string) ([]lang.Param, error) {
	spec, err := kbtf.SharedCache().Kernel()
	if err != nil {
		return nil, fmt.Errorf("fentry probes need kernel BTF: %w", err)
	}
	var f *btf.Func
	if err := spec.TypeByName(fn, &f); err != nil {
		return nil, fmt.Errorf("no kernel function %s in BTF", fn)
	}
	proto, _ := f.Type.(*btf.FuncProto)
	if proto == nil {
		return nil, nil
	}
	params := make([]lang.Param, len(proto.Params))
	for i, p := range proto.Params {
		params[i] = lang.Param{Name: p.Name, Type: p.Type}
	}
	return params, nil
}

func (e *kernelEnv) HookAvailable(kind string) error {
	k, ok := attach.ParseKind(kind)
	if !ok {
		return fmt.Errorf("unknown hook kind %s", kind)
	}
	return attach.Running.Supports(k)
}

// KernelType builds a struct or union from the raw kernel BTF, members
// only one level deep: structs behind its pointers stay forward
// declarations until the program reads through them (decoding the whole
// type graph that task_struct reaches took 10-20 ms of every start). A
// kernel without /sys/kernel/btf/vmlinux falls back to cilium/ebpf's
// decoder, which also reads vmlinux files.
func (e *kernelEnv) KernelType(name string) (btf.Type, error) {
	if t, ok := e.types[name]; ok {
		return t, nil
	}
	t, err := e.kernelType(name)
	if err != nil {
		return nil, err
	}
	if e.types == nil {
		e.types = map[string]btf.Type{}
	}
	e.types[name] = t
	return t, nil
}

func (e *kernelEnv) kernelType(name string) (btf.Type, error) {
	if raw, err := kbtf.LoadRaw(); err == nil {
		t, err := raw.Composite(name)
		if errors.Is(err, kbtf.ErrNoType) {
			return nil, fmt.Errorf("unknown type %s: it is not in the kernel's BTF", name)
		}
		return t, err
	}
	spec, err := kbtf.SharedCache().Kernel()
	if err != nil {
		return nil, fmt.Errorf("%s: reading it needs kernel BTF: %w", name, err)
	}
	t, err := kbtf.SpecComposite(spec, name)
	if err != nil {
		return nil, fmt.Errorf("unknown type %s: it is not in the kernel's BTF", name)
	}
	return t, nil
}

func (e *kernelEnv) KernelFunction(name string) (string, error) {
	return attach.KernelFunction(name)
}

func (e *kernelEnv) KernelAddr(name string) (uint64, error) {
	ks, err := syms.LoadKernel()
	if err != nil {
		return 0, fmt.Errorf("kaddr(%q): %w", name, err)
	}
	a, ok := ks.Address(name)
	if !ok {
		// A data symbol (avenrun): listed where CONFIG_KALLSYMS_ALL is on.
		a, ok, err = syms.KernelDataAddress(name)
		if err != nil {
			return 0, fmt.Errorf("kaddr(%q): %w", name, err)
		}
	}
	if !ok {
		return 0, fmt.Errorf("kaddr(%q): no such kernel symbol", name)
	}
	return a, nil
}

// UserSymbol reads a symbol from a binary's ELF symbol tables. A
// position-independent executable or library is refused: its symbols'
// run-time addresses depend on where each process loads it.
func (e *kernelEnv) UserSymbol(binary, name string) (uint64, uint64, error) {
	f, err := elf.Open(binary)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC {
		return 0, 0, fmt.Errorf("%s is position independent: its addresses are only known per process", binary)
	}
	for _, read := range []func() ([]elf.Symbol, error){f.Symbols, f.DynamicSymbols} {
		syms, _ := read()
		for _, s := range syms {
			if s.Name == name && s.Section != elf.SHN_UNDEF {
				return s.Value, s.Size, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("no symbol %s in %s", name, binary)
}

// KernelEnum finds an enumerator in the kernel's BTF.
func (e *kernelEnv) KernelEnum(name string) (int64, bool) {
	raw, err := kbtf.LoadRaw()
	if err != nil {
		return 0, false // no kernel BTF: no enum constants
	}
	return raw.Enum(name)
}

// HasFunction looks for a defined symbol in a binary's .symtab and
// .dynsym (a stripped library has only the latter). A binary's symbols
// are read once: a script probes several functions of one library.
func (e *kernelEnv) HasFunction(binary, name string) (bool, error) {
	defined, ok := e.funcs[binary]
	if !ok {
		var err error
		if defined, err = definedSymbols(binary); err != nil {
			return false, err
		}
		if e.funcs == nil {
			e.funcs = map[string]map[string]bool{}
		}
		e.funcs[binary] = defined
	}
	return defined[name], nil
}

// definedSymbols is the set of names a binary defines, versioned names
// of .symtab (name@@GLIBC_2.34) also under their plain name.
func definedSymbols(binary string) (map[string]bool, error) {
	f, err := elf.Open(binary)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defined := map[string]bool{}
	for _, read := range []func() ([]elf.Symbol, error){f.Symbols, f.DynamicSymbols} {
		syms, _ := read()
		for _, s := range syms {
			if s.Section == elf.SHN_UNDEF || s.Name == "" {
				continue
			}
			defined[s.Name] = true
			if at := strings.IndexByte(s.Name, '@'); at > 0 {
				defined[s.Name[:at]] = true
			}
		}
	}
	return defined, nil
}

// USDTSites: a binary's USDT sites placed in the file (core/probes).
func (e *kernelEnv) USDTSites(binary string) ([]lang.USDTSite, error) {
	sites, err := probes.USDTSites(binary)
	if err != nil {
		return nil, err
	}
	out := make([]lang.USDTSite, len(sites))
	for i, s := range sites {
		out[i] = lang.USDTSite{Provider: s.Provider, Name: s.Name, Offset: s.Offset, SemOffset: s.SemOffset, Args: s.Args}
	}
	return out, nil
}
