package probes

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// Arguments describes a probe's arguments as bpftrace -lv prints them,
// one C declaration per line ("int dfd", "const char * filename").
func (l *Lister) Arguments(probe string) ([]string, error) {
	kind, rest, _ := strings.Cut(probe, ":")
	if k, ok := CanonicalKind(kind); ok {
		kind = k
	}
	switch kind {
	case "tracepoint":
		group, name, ok := strings.Cut(rest, ":")
		if !ok {
			return nil, fmt.Errorf("tracepoint %q: want tracepoint:GROUP:NAME", probe)
		}
		fields, err := l.TracepointFields(group, name)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, f := range fields {
			if !f.Common {
				out = append(out, f.Decl())
			}
		}
		return out, nil
	case "fentry", "fexit", "kprobe", "kretprobe", "rawtracepoint":
		return l.btfArguments(kind, rest)
	}
	return nil, nil
}

// TracepointFields reads a tracepoint's format file.
func (l *Lister) TracepointFields(group, name string) ([]Field, error) {
	f, err := l.open(filepath.Join(l.TracefsDir, "events", group, name, "format"))
	if err != nil {
		return nil, fmt.Errorf("tracepoint %s:%s: %w", group, name, err)
	}
	defer f.Close()
	return ParseFormat(readAll(f))
}

func (l *Lister) btfArguments(kind, fn string) ([]string, error) {
	spec, err := l.kernelBTF()
	if err != nil {
		return nil, err
	}
	var proto *btf.FuncProto
	if kind == "rawtracepoint" {
		var td *btf.Typedef
		if err := spec.TypeByName("btf_trace_"+fn, &td); err != nil {
			return nil, fmt.Errorf("no raw tracepoint %s", fn)
		}
		ptr, ok := td.Type.(*btf.Pointer)
		if !ok {
			return nil, nil
		}
		if proto, ok = ptr.Target.(*btf.FuncProto); !ok {
			return nil, nil
		}
	} else {
		var f *btf.Func
		if err := spec.TypeByName(fn, &f); err != nil {
			return nil, fmt.Errorf("no kernel function %s in BTF", fn)
		}
		proto, _ = f.Type.(*btf.FuncProto)
	}
	if proto == nil {
		return nil, nil
	}
	var out []string
	params := proto.Params
	if kind == "rawtracepoint" && len(params) > 0 {
		params = params[1:] // the hidden void *__data
	}
	for _, p := range params {
		out = append(out, CType(p.Type)+" "+p.Name)
	}
	if kind == "fexit" || kind == "kretprobe" {
		out = append(out, CType(proto.Return)+" retval")
	}
	return out, nil
}

// CType renders a BTF type as C writes it in a declaration.
func CType(t btf.Type) string {
	switch t := t.(type) {
	case nil, *btf.Void:
		return "void"
	case *btf.Pointer:
		if _, ok := t.Target.(*btf.FuncProto); ok {
			return "void *"
		}
		return CType(t.Target) + " *"
	case *btf.Const:
		return "const " + CType(t.Type)
	case *btf.Volatile:
		return "volatile " + CType(t.Type)
	case *btf.Restrict:
		return CType(t.Type)
	case *btf.TypeTag:
		return CType(t.Type)
	case *btf.Struct:
		return "struct " + t.Name
	case *btf.Union:
		return "union " + t.Name
	case *btf.Enum:
		return "enum " + t.Name
	case *btf.Array:
		return fmt.Sprintf("%s[%d]", CType(t.Type), t.Nelems)
	case *btf.Typedef:
		return t.Name
	case *btf.Int:
		return t.Name
	case *btf.Fwd:
		return t.Kind.String() + " " + t.Name
	}
	return t.TypeName()
}
