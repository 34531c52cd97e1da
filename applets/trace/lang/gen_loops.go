package lang

import "github.com/cilium/ebpf/asm"

// whileLoop is a loop the verifier must see end: since Linux 5.3 it
// follows backward jumps, and refuses a loop it cannot bound.
func (g *gen) whileLoop(s *While, exit string) error {
	top, end := g.newLabel(), g.newLabel()
	g.mark(top)
	if err := g.cond(s.Cond, end); err != nil {
		return err
	}
	g.loops = append(g.loops, loopLabels{brk: end, cont: top})
	err := g.stmts(s.Body, exit)
	g.loops = g.loops[:len(g.loops)-1]
	if err != nil {
		return err
	}
	g.emit(asm.Ja.Label(top))
	g.mark(end)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	return nil
}

// unroll repeats the body N times in the program, as bpftrace does.
func (g *gen) unroll(s *Unroll, exit string) error {
	end := g.newLabel()
	for range s.N {
		next := g.newLabel()
		g.loops = append(g.loops, loopLabels{brk: end, cont: next})
		err := g.stmts(s.Body, exit)
		g.loops = g.loops[:len(g.loops)-1]
		if err != nil {
			return err
		}
		g.mark(next)
		g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	}
	g.mark(end)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	return nil
}

// jump is break, continue (of the innermost loop) or return (from the
// probe).
func (g *gen) jump(s *Jump, exit string) error {
	if s.Kind == "return" {
		g.emit(asm.Ja.Label(exit))
		return nil
	}
	if len(g.loops) == 0 {
		return &Error{Pos: s.Pos, End: s.End, Msg: s.Kind + " is only valid in a loop"}
	}
	l := g.loops[len(g.loops)-1]
	if s.Kind == "break" {
		g.emit(asm.Ja.Label(l.brk))
	} else {
		g.emit(asm.Ja.Label(l.cont))
	}
	return nil
}
