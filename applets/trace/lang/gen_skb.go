package lang

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// SkbEventsMap is the perf event array skboutput() writes packets to:
// bpf_skb_output() takes no ring buffer.
const SkbEventsMap = "skb_events"

// SkbHeaderSize is the record bpf_skb_output() puts before the packet's
// bytes: the call site's id, bpf_ktime_get_ns(), the bytes copied and the
// offset into them where the capture starts (four u64, native order).
const SkbHeaderSize = 32

// skboutput(path, skb, length, offset): length bytes of skb's data from
// offset, written to a pcap file in user space, by bpf_skb_output(). As
// path(), the kernel takes only its own BTF-typed sk_buff pointer, in
// kfunc/kretfunc (fentry/fexit) programs: skb is reached from args by ->
// and . alone. Returns the helper's result (0, or a negative errno).
func (g *gen) skbOutputType(e *Call) (Type, error) {
	if len(e.Args) != 4 {
		return Type{}, errAt(e, "skboutput() takes 4 arguments: skboutput(\"file.pcap\", args->skb, length, offset)")
	}
	if p, ok := e.Args[0].(*Str); !ok || p.V == "" {
		return Type{}, errAt(e.Args[0], "skboutput()'s file must be a string literal")
	}
	if err := g.kernelPointerArg(e, e.Args[1], "bpf_skb_output()", isSkb, "a struct sk_buff pointer", "args->skb"); err != nil {
		return Type{}, err
	}
	if t, err := g.typeOf(e.Args[2]); err != nil || t.Kind != KInt {
		return Type{}, firstErr(err, errAt(e.Args[2], "skboutput()'s length must be an integer"))
	}
	if n, ok := e.Args[3].(*Int); !ok || n.V < 0 || n.V > 0xffff {
		return Type{}, errAt(e.Args[3], "skboutput()'s offset must be an integer literal from 0 to 65535")
	}
	return intType, nil
}

func isSkb(t Type) bool {
	if t.Kind != KInt || t.Ptr == nil {
		return false
	}
	return btfName(btf.UnderlyingType(t.Ptr)) == "struct sk_buff"
}

// skbOutputID numbers a call site's file, the same file one id.
func (c *compiler) skbOutputID(path string) int {
	for i, p := range c.skbOutputs {
		if p == path {
			return i
		}
	}
	c.skbOutputs = append(c.skbOutputs, path)
	return len(c.skbOutputs) - 1
}

// genSkbOutput leaves bpf_skb_output()'s result in R0. The helper copies
// offset+length bytes from the start of the packet's data (its flags'
// upper half); user space drops the first offset of them.
func (g *gen) genSkbOutput(e *Call) error {
	mark := g.used
	defer g.release(mark)
	path := e.Args[0].(*Str).V
	offset := e.Args[3].(*Int).V
	id := 0
	if !g.typing {
		id = g.c.skbOutputID(path)
		g.c.skbEvents = true
	}
	hdr := g.alloc(SkbHeaderSize)
	if err := g.genInt(e.Args[2]); err != nil {
		return err
	}
	g.emit(
		asm.LSh.Imm(asm.R0, 32), asm.RSh.Imm(asm.R0, 32), // a u32 length
		asm.Add.Imm(asm.R0, int32(offset)),
		asm.StoreMem(asm.R10, hdr+16, asm.R0, asm.DWord),
	)
	g.call(asm.FnKtimeGetNs)
	g.emit(
		asm.StoreMem(asm.R10, hdr+8, asm.R0, asm.DWord),
		asm.LoadImm(asm.R0, int64(id), asm.DWord),
		asm.StoreMem(asm.R10, hdr, asm.R0, asm.DWord),
		asm.LoadImm(asm.R0, offset, asm.DWord),
		asm.StoreMem(asm.R10, hdr+24, asm.R0, asm.DWord),
	)
	if err := g.genBTFPtr(e.Args[1].(*Field)); err != nil {
		return err
	}
	g.emit(asm.Mov.Reg(asm.R1, asm.R0))
	g.mapPtr(asm.R2, SkbEventsMap)
	// flags: the bytes to copy in the upper half, BPF_F_CURRENT_CPU below.
	g.emit(
		asm.LoadMem(asm.R3, asm.R10, hdr+16, asm.DWord),
		asm.LSh.Imm(asm.R3, 32),
		asm.LoadImm(asm.R4, 0xffffffff, asm.DWord),
		asm.Or.Reg(asm.R3, asm.R4),
	)
	g.stackPtr(asm.R4, hdr)
	g.emit(asm.Mov.Imm(asm.R5, SkbHeaderSize))
	g.call(asm.FnSkbOutput)
	return nil
}
