package blockdev

import (
	"github.com/cilium/ebpf/btf"
)

// opMask: the operation is the low REQ_OP_BITS (8) bits of cmd_flags.
const opMask = 0xff

type opInfo struct {
	kernel string // enumerator in enum req_op (req_opf before 6.0)
	rwbs   string // blk_fill_rwbs letters; "" means "N"
	name   string // biolatency -F name
	fixed  uint32 // libbpf-tools' number, used when the BTF lacks it
}

// Operations libbpf-tools names. The numbers moved between kernels (the
// zone operations were renumbered in 6.x), so the running kernel's BTF
// decides; ZoneAppend is ours (libbpf-tools has no name for it).
var ops = []opInfo{
	{"REQ_OP_READ", "R", "Read", 0},
	{"REQ_OP_WRITE", "W", "Write", 1},
	{"REQ_OP_FLUSH", "F", "Flush", 2},
	{"REQ_OP_DISCARD", "D", "Discard", 3},
	{"REQ_OP_SECURE_ERASE", "DE", "SecureErase", 5},
	{"REQ_OP_ZONE_RESET", "", "ZoneReset", 6},
	{"REQ_OP_WRITE_SAME", "W", "WriteSame", 7},
	{"REQ_OP_ZONE_RESET_ALL", "", "ZoneResetAll", 8},
	{"REQ_OP_WRITE_ZEROES", "", "WriteZeroes", 9},
	{"REQ_OP_ZONE_OPEN", "", "ZoneOpen", 10},
	{"REQ_OP_ZONE_CLOSE", "", "ZoneClose", 11},
	{"REQ_OP_ZONE_FINISH", "", "ZoneFinish", 12},
	{"REQ_OP_ZONE_APPEND", "", "ZoneAppend", 13},
	{"REQ_OP_SCSI_IN", "", "SCSIIn", 32},
	{"REQ_OP_SCSI_OUT", "", "SCSIOut", 33},
	{"REQ_OP_DRV_IN", "", "DrvIn", 34},
	{"REQ_OP_DRV_OUT", "", "DrvOut", 35},
}

type flagInfo struct {
	kernel string // enumerator in enum req_flag_bits
	name   string // biolatency -F prefix, "" if it has none
	fixed  uint32 // libbpf-tools' bit number
}

// Flag bits, in the order biolatency -F prints them.
var flagBits = []flagInfo{
	{"__REQ_NOWAIT", "NoWait-", 21},
	{"__REQ_BACKGROUND", "Background-", 20},
	{"__REQ_RAHEAD", "ReadAhead-", 19},
	{"__REQ_PREFLUSH", "PreFlush-", 18},
	{"__REQ_FUA", "FUA-", 17},
	{"__REQ_INTEGRITY", "Integrity-", 16},
	{"__REQ_IDLE", "Idle-", 15},
	{"__REQ_NOMERGE", "NoMerge-", 14},
	{"__REQ_PRIO", "Priority-", 13},
	{"__REQ_META", "Metadata-", 12},
	{"__REQ_SYNC", "Sync-", 11},
}

// Flags decodes cmd_flags values of one kernel.
type Flags struct {
	op   map[uint32]*opInfo
	mask map[string]uint32 // flag enumerator -> its bit
}

// FlagsFromBTF reads the kernel's numbering from spec (enum req_op or
// req_opf, enum req_flag_bits); whatever is missing keeps libbpf-tools'
// numbers. A nil spec gives libbpf-tools' numbers throughout.
func FlagsFromBTF(spec *btf.Spec) *Flags {
	return newFlags(enumValues(spec, "req_op", "req_opf"), enumValues(spec, "req_flag_bits"))
}

func enumValues(spec *btf.Spec, names ...string) map[string]uint64 {
	if spec == nil {
		return nil
	}
	for _, n := range names {
		var e *btf.Enum
		if err := spec.TypeByName(n, &e); err != nil {
			continue
		}
		out := map[string]uint64{}
		for _, v := range e.Values {
			out[v.Name] = v.Value
		}
		return out
	}
	return nil
}

// newFlags builds a decoder from enumerator values (nil: none known).
func newFlags(opVals, bitVals map[string]uint64) *Flags {
	f := &Flags{op: map[uint32]*opInfo{}, mask: map[string]uint32{}}
	for i := range ops {
		o := &ops[i]
		num := o.fixed
		if opVals != nil {
			v, ok := opVals[o.kernel]
			if !ok {
				continue // this kernel has no such operation
			}
			num = uint32(v)
		}
		if _, dup := f.op[num]; !dup {
			f.op[num] = o
		}
	}
	for _, b := range flagBits {
		bit := b.fixed
		if v, ok := bitVals[b.kernel]; ok {
			bit = uint32(v)
		}
		if bit < 32 {
			f.mask[b.kernel] = 1 << bit
		}
	}
	return f
}

func (f *Flags) has(cmdFlags uint32, kernel string) bool {
	return cmdFlags&f.mask[kernel] != 0
}

// AppendRWBS appends the T column: the letters blk_fill_rwbs gives
// ("W", "RA", "FWFS": preflush, op, FUA, readahead, sync, metadata).
func (f *Flags) AppendRWBS(dst []byte, cmdFlags uint32) []byte {
	if f.has(cmdFlags, "__REQ_PREFLUSH") {
		dst = append(dst, 'F')
	}
	if o := f.op[cmdFlags&opMask]; o != nil && o.rwbs != "" {
		dst = append(dst, o.rwbs...)
	} else {
		dst = append(dst, 'N')
	}
	for _, c := range []struct {
		kernel string
		letter byte
	}{{"__REQ_FUA", 'F'}, {"__REQ_RAHEAD", 'A'}, {"__REQ_SYNC", 'S'}, {"__REQ_META", 'M'}} {
		if f.has(cmdFlags, c.kernel) {
			dst = append(dst, c.letter)
		}
	}
	return dst
}

// AppendName appends biolatency -F's name of a flags set: the flag
// prefixes in a fixed order, then the operation ("Sync-Write",
// "ReadAhead-Read"); an operation it cannot name is "Unknown".
func (f *Flags) AppendName(dst []byte, cmdFlags uint32) []byte {
	for _, b := range flagBits {
		if f.has(cmdFlags, b.kernel) {
			dst = append(dst, b.name...)
		}
	}
	if o := f.op[cmdFlags&opMask]; o != nil {
		return append(dst, o.name...)
	}
	return append(dst, "Unknown"...)
}

// RqAfterQueue reports whether block_rq_insert and block_rq_issue pass
// (q, rq) as before 5.11, rather than (rq): the tracepoints' BTF function
// types (btf_trace_block_rq_issue) have one more parameter then.
func RqAfterQueue(spec *btf.Spec) bool {
	if spec == nil {
		return false
	}
	var td *btf.Typedef
	if err := spec.TypeByName("btf_trace_block_rq_issue", &td); err != nil {
		return false
	}
	ptr, ok := td.Type.(*btf.Pointer)
	if !ok {
		return false
	}
	fp, ok := ptr.Target.(*btf.FuncProto)
	return ok && len(fp.Params) == 3 // the hidden void *__data, q, rq
}
