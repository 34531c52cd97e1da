package lang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/asm"
)

// USDTSite is one place a USDT probe is compiled in: the uprobe's file
// offset, its semaphore's file offset (0: none; the kernel counts it up
// while the probe is attached), and its argument specs.
type USDTSite struct {
	Provider, Name string
	Offset         uint64
	SemOffset      uint64
	Args           string // "-4@%edi 8@-16(%rbp) 8@$5"
}

// USDTArg is where one argument lives at the probe site: a register, a
// constant, or memory at a register plus a displacement.
type USDTArg struct {
	Size   int  // bytes: 1, 2, 4 or 8
	Signed bool // the spec's size was negative
	Kind   byte // 'r' register, 'i' immediate, 'm' memory
	Reg    int16
	Imm    int64 // the constant, or the memory displacement
}

// x86Regs maps every name of a general-purpose register (rax, eax, ax,
// al; r8, r8d, r8w, r8b) to its pt_regs offset.
var x86Regs = func() map[string]int16 {
	m := map[string]int16{}
	named := ptRegsNamed["amd64"]
	for _, r := range []struct{ base, q, d, w, b string }{
		{"ax", "rax", "eax", "ax", "al"}, {"bx", "rbx", "ebx", "bx", "bl"}, {"cx", "rcx", "ecx", "cx", "cl"},
		{"dx", "rdx", "edx", "dx", "dl"}, {"si", "rsi", "esi", "si", "sil"}, {"di", "rdi", "edi", "di", "dil"},
		{"bp", "rbp", "ebp", "bp", "bpl"}, {"sp", "rsp", "esp", "sp", "spl"},
	} {
		for _, n := range []string{r.q, r.d, r.w, r.b} {
			m[n] = named[r.base]
		}
	}
	for i := 8; i <= 15; i++ {
		off := named[fmt.Sprintf("r%d", i)]
		for _, suf := range []string{"", "d", "w", "b"} {
			m[fmt.Sprintf("r%d%s", i, suf)] = off
		}
	}
	m["rip"] = named["ip"]
	return m
}()

// parseUSDTArgs reads a note's argument specs (x86-64 forms).
func parseUSDTArgs(spec string) ([]USDTArg, error) {
	var out []USDTArg
	for _, f := range strings.Fields(spec) {
		size, operand, ok := strings.Cut(f, "@")
		if !ok {
			return nil, fmt.Errorf("argument spec %q: no size@operand", f)
		}
		n, err := strconv.Atoi(size)
		if err != nil || (n != 1 && n != -1 && n != 2 && n != -2 && n != 4 && n != -4 && n != 8 && n != -8) {
			return nil, fmt.Errorf("argument spec %q: size must be 1, 2, 4 or 8", f)
		}
		a := USDTArg{Size: n, Signed: n < 0}
		if n < 0 {
			a.Size = -n
		}
		switch {
		case strings.HasPrefix(operand, "%"):
			reg, ok := x86Regs[operand[1:]]
			if !ok {
				return nil, fmt.Errorf("argument spec %q: unknown register", f)
			}
			a.Kind, a.Reg = 'r', reg
		case strings.HasPrefix(operand, "$"):
			v, err := strconv.ParseInt(operand[1:], 0, 64)
			if err != nil {
				return nil, fmt.Errorf("argument spec %q: bad constant", f)
			}
			a.Kind, a.Imm = 'i', v
		case strings.HasSuffix(operand, ")") && strings.Contains(operand, "(%"):
			i := strings.Index(operand, "(%")
			disp, reg := operand[:i], operand[i+2:len(operand)-1]
			if strings.Contains(reg, ",") {
				return nil, fmt.Errorf("argument spec %q: indexed addressing is not supported", f)
			}
			if reg == "rip" {
				return nil, fmt.Errorf("argument spec %q: a global read relative to %%rip is not supported", f)
			}
			r, ok := x86Regs[reg]
			if !ok {
				return nil, fmt.Errorf("argument spec %q: unknown register", f)
			}
			var d int64
			if disp != "" {
				if d, err = strconv.ParseInt(disp, 0, 64); err != nil {
					return nil, fmt.Errorf("argument spec %q: bad displacement", f)
				}
			}
			a.Kind, a.Reg, a.Imm = 'm', r, d
		default:
			return nil, fmt.Errorf("argument spec %q is not supported", f)
		}
		out = append(out, a)
	}
	return out, nil
}

// usdtArg leaves argument n of a USDT probe in R0, read as its spec says
// and extended to 64 bits by its signedness.
func (g *gen) usdtArg(e *Ident, n int) error {
	if n >= len(g.t.USDTArgs) {
		return errAt(e, "%s: probe %s has %d argument(s)", e.Name, g.t.Text, len(g.t.USDTArgs))
	}
	a := g.t.USDTArgs[n]
	switch a.Kind {
	case 'i':
		g.emit(asm.LoadImm(asm.R0, a.Imm, asm.DWord))
		return nil
	case 'r':
		g.emit(asm.LoadMem(asm.R0, asm.R6, a.Reg, asm.DWord))
	case 'm':
		mark := g.used
		defer g.release(mark)
		tmp := g.alloc(8)
		g.emit(storeImm(asm.R10, tmp, 0), asm.LoadMem(asm.R3, asm.R6, a.Reg, asm.DWord), asm.Add.Imm(asm.R3, int32(a.Imm)))
		g.stackPtr(asm.R1, tmp)
		g.emit(asm.Mov.Imm(asm.R2, int32(a.Size)))
		g.call(asm.FnProbeReadUser)
		g.emit(asm.LoadMem(asm.R0, asm.R10, tmp, asm.DWord))
	}
	if a.Size < 8 {
		shift := int32(64 - 8*a.Size)
		g.emit(asm.LSh.Imm(asm.R0, shift))
		if a.Signed {
			g.emit(asm.ArSh.Imm(asm.R0, shift))
		} else {
			g.emit(asm.RSh.Imm(asm.R0, shift))
		}
	}
	return nil
}

// resolveUSDT expands usdt:BINARY:[PROVIDER:]NAME into one target per
// site of the probe in the binary.
func resolveUSDT(t Target, parts []string, env Env, pid uint32, errf func(string, ...any) error) ([]Target, error) {
	if len(parts) != 2 && len(parts) != 3 {
		return nil, errf("usdt probes are usdt:BINARY:[PROVIDER:]NAME")
	}
	bin, err := env.Binary(parts[0], pid)
	if err != nil {
		return nil, errf("%v", err)
	}
	provider, name := "", parts[len(parts)-1]
	if len(parts) == 3 {
		provider = parts[1]
	}
	sites, err := env.USDTSites(bin)
	if err != nil {
		return nil, errf("%v", err)
	}
	var out []Target
	for _, s := range sites {
		if s.Name != name || (provider != "" && s.Provider != provider) {
			continue
		}
		if len(out) > 0 && provider == "" && out[0].Group != s.Provider {
			return nil, errf("probe %s is in providers %s and %s: name one, usdt:%s:PROVIDER:%s", name, out[0].Group, s.Provider, parts[0], name)
		}
		args, err := parseUSDTArgs(s.Args)
		if err != nil {
			return nil, errf("%v", err)
		}
		st := t
		st.Binary, st.Group, st.Name = bin, s.Provider, s.Name
		st.USDTOffset, st.USDTSemaphore, st.USDTArgs = s.Offset, s.SemOffset, args
		st.Text = "usdt:" + parts[0] + ":" + s.Provider + ":" + s.Name
		out = append(out, st)
	}
	if len(out) == 0 {
		return nil, errf("no USDT probe %s in %s (trace -l 'usdt:%s:*' lists them)", strings.Join(parts[1:], ":"), bin, parts[0])
	}
	return out, nil
}
