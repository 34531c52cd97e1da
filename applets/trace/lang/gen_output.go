package lang

import (
	"golang.org/x/sys/unix"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Functions that print from user space (time(), join(), print()) and
// the string and type functions added with them.

// moreFuncType types time(), join(), strftime(), strncmp(),
// strcontains(), sizeof() and offsetof(); ok is false for other names.
func (g *gen) moreFuncType(e *Call) (Type, bool, error) {
	switch e.Name {
	case "time":
		if len(e.Args) > 1 {
			return Type{}, true, errAt(e, "time() takes at most one argument, a format")
		}
		if len(e.Args) == 1 {
			if _, ok := e.Args[0].(*Str); !ok {
				return Type{}, true, errAt(e, "time()'s format must be a string literal")
			}
		}
		return noneType, true, nil
	case "join":
		if len(e.Args) < 1 || len(e.Args) > 2 {
			return Type{}, true, errAt(e, "join() takes an array of strings and an optional delimiter")
		}
		if t, err := g.typeOf(e.Args[0]); err != nil || t.Kind != KInt {
			return Type{}, true, firstErr(err, errAt(e.Args[0], "join() takes the address of an array of string pointers (args->argv)"))
		}
		if len(e.Args) == 2 {
			if _, ok := e.Args[1].(*Str); !ok {
				return Type{}, true, errAt(e.Args[1], "join()'s delimiter must be a string literal")
			}
		}
		return noneType, true, nil
	case "strftime":
		if len(e.Args) != 2 {
			return Type{}, true, errAt(e, "strftime() takes a format and a time in nanoseconds: strftime(\"%%H:%%M:%%S\", nsecs)")
		}
		lit, ok := e.Args[0].(*Str)
		if !ok {
			return Type{}, true, errAt(e.Args[0], "strftime()'s format must be a string literal")
		}
		if t, err := g.typeOf(e.Args[1]); err != nil || t.Kind != KInt {
			return Type{}, true, firstErr(err, errAt(e.Args[1], "strftime() takes a time in nanoseconds (an integer)"))
		}
		return Type{Kind: KTime, Size: 8, Format: lit.V}, true, nil
	case "strncmp", "strcontains":
		want := map[string]int{"strncmp": 3, "strcontains": 2}[e.Name]
		if len(e.Args) != want {
			return Type{}, true, errAt(e, "%s() takes %d arguments, got %d", e.Name, want, len(e.Args))
		}
		for _, a := range e.Args[:2] {
			if t, err := g.typeOf(a); err != nil || t.Kind != KStr {
				return Type{}, true, firstErr(err, errAt(a, "%s() compares strings", e.Name))
			}
		}
		if e.Name == "strncmp" {
			if n, ok := e.Args[2].(*Int); !ok || n.V < 0 {
				return Type{}, true, errAt(e.Args[2], "strncmp()'s length must be a non-negative integer literal")
			}
		} else if _, ok := e.Args[1].(*Str); !ok {
			return Type{}, true, errAt(e.Args[1], "strcontains()'s needle must be a string literal here")
		}
		return intType, true, nil
	case "sizeof", "offsetof":
		_, err := g.typeConst(e)
		return intType, true, err
	case "cgroupid":
		_, err := g.cgroupID(e)
		return intType, true, err
	case "pton":
		b, err := ptonBytes(e)
		return Type{Kind: KBytes, Size: len(b)}, true, err
	case "cgroup_path":
		if len(e.Args) != 1 && len(e.Args) != 2 {
			return Type{}, true, errAt(e, "cgroup_path() takes a cgroup id and, optionally, a filter of hierarchies: cgroup_path(cgroup, \"unified\")")
		}
		if t, err := g.typeOf(e.Args[0]); err != nil || t.Kind != KInt {
			return Type{}, true, firstErr(err, errAt(e.Args[0], "cgroup_path() takes a cgroup id (an integer)"))
		}
		t := Type{Kind: KCgroupPath, Size: 8}
		if len(e.Args) == 2 {
			lit, ok := e.Args[1].(*Str)
			if !ok {
				return Type{}, true, errAt(e.Args[1], "cgroup_path()'s filter must be a string literal")
			}
			t.Format = lit.V
		}
		return t, true, nil
	case "strerror", "kptr", "uptr":
		if len(e.Args) != 1 {
			return Type{}, true, errAt(e, "%s() takes one integer", e.Name)
		}
		t, err := g.typeOf(e.Args[0])
		if err != nil || t.Kind != KInt {
			return Type{}, true, firstErr(err, errAt(e.Args[0], "%s() takes an integer", e.Name))
		}
		switch e.Name {
		case "strerror":
			return Type{Kind: KErrno, Size: 8}, true, nil
		case "uptr":
			t.User = true // what it points to is read from user memory
		default:
			t.User = false
		}
		return t, true, nil
	case "macaddr":
		if len(e.Args) != 1 {
			return Type{}, true, errAt(e, "macaddr() takes one address: a pointer or a u8[6] member")
		}
		if n := g.memberBytes(e.Args[0]); n == 6 {
			return Type{Kind: KMac, Size: 8}, true, nil
		}
		t, err := g.typeOf(e.Args[0])
		if err != nil || t.Kind != KInt {
			return Type{}, true, firstErr(err, errAt(e.Args[0], "macaddr() takes a pointer or a u8[6] member, not %s", t))
		}
		return Type{Kind: KMac, Size: 8}, true, nil
	case "bswap":
		if len(e.Args) != 1 {
			return Type{}, true, errAt(e, "bswap() takes one integer")
		}
		t, err := g.typeOf(e.Args[0])
		if err != nil || t.Kind != KInt {
			return Type{}, true, firstErr(err, errAt(e.Args[0], "bswap() takes an integer, not %s", t))
		}
		return Type{Kind: KInt, Size: 8, Bits: t.Bits}, true, nil
	}
	return Type{}, false, nil
}

// typeConst is the value of sizeof() or offsetof().
func (g *gen) typeConst(e *Call) (int64, error) {
	if e.Name == "offsetof" {
		if len(e.Args) != 2 {
			return 0, errAt(e, "offsetof() takes a struct type and a field: offsetof(struct sock, sk_rcvbuf)")
		}
		ref, ok := e.Args[0].(*TypeRef)
		field, ok2 := e.Args[1].(*Ident)
		if !ok || !ok2 || ref.Ptr > 0 || intTypes[ref.Type] {
			return 0, errAt(e, "offsetof() takes a struct type and a field: offsetof(struct sock, sk_rcvbuf)")
		}
		st, err := g.c.typeNamed(ref.Type)
		if err != nil {
			return 0, errAt(ref, "%v", err)
		}
		_, bits, ok := findMember(st, field.Name)
		if !ok {
			return 0, errAt(field, "%s has no field %q", ref.Type, field.Name)
		}
		return int64(bits / 8), nil
	}
	if len(e.Args) != 1 {
		return 0, errAt(e, "sizeof() takes one type or expression")
	}
	switch a := e.Args[0].(type) {
	case *TypeRef:
		if a.Ptr > 0 {
			return 8, nil
		}
		if intTypes[a.Type] {
			return map[string]int64{"int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "int64": 8, "uint64": 8}[a.Type], nil
		}
		st, err := g.c.typeNamed(a.Type)
		if err != nil {
			return 0, errAt(a, "%v", err)
		}
		n, err := btf.Sizeof(st)
		if err != nil {
			return 0, errAt(a, "sizeof(%s): %v", a.Type, err)
		}
		return int64(n), nil
	case *Field:
		if isArgs(a) {
			f, err := g.field(a)
			if err != nil {
				return 0, err
			}
			if f.dataLoc {
				return 0, errAt(a, "sizeof() of a __data_loc field is not known before the event")
			}
			if g.t.Kind == "tracepoint" {
				return int64(f.size), nil
			}
			return 8, nil
		}
		t, mi, err := g.memberType(a)
		if err != nil {
			return 0, err
		}
		if t.Kind == KStruct {
			n, err := btf.Sizeof(t.Struct)
			return int64(n), err
		}
		return int64(mi.size), nil
	}
	t, err := g.typeOf(e.Args[0])
	if err != nil {
		return 0, err
	}
	switch t.Kind {
	case KStr:
		return int64(t.Size), nil
	case KInt:
		if _, ok := e.Args[0].(*Int); ok {
			return 8, nil
		}
	}
	return 0, errAt(e.Args[0], "sizeof() of this expression is not supported: name its type, sizeof(TYPE)")
}

// moreCallInt leaves the integer value of strftime()'s time, strncmp(),
// strcontains(), sizeof() and offsetof() in R0.
func (g *gen) moreCallInt(e *Call) (bool, error) {
	switch e.Name {
	case "strftime":
		return true, g.genInt(e.Args[1])
	case "sizeof", "offsetof":
		v, err := g.typeConst(e)
		g.emit(asm.LoadImm(asm.R0, v, asm.DWord))
		return true, err
	case "cgroupid":
		id, err := g.cgroupID(e)
		g.emit(asm.LoadImm(asm.R0, int64(id), asm.DWord))
		return true, err
	case "strncmp":
		return true, g.strncmp(e)
	case "strerror", "kptr", "uptr", "cgroup_path":
		return true, g.genInt(e.Args[0])
	case "bswap":
		// The byte order reversed within the operand's own width.
		t, _ := g.typeOf(e.Args[0])
		if err := g.genInt(e.Args[0]); err != nil {
			return true, err
		}
		size, narrow := map[int]asm.Size{16: asm.Half, 32: asm.Word}[t.Bits]
		switch {
		case t.Bits == 8:
			g.emit(asm.And.Imm(asm.R0, 0xff))
		case narrow:
			g.emit(asm.HostTo(asm.BE, asm.R0, size))
		default:
			g.emit(asm.HostTo(asm.BE, asm.R0, asm.DWord))
		}
		return true, nil
	case "strcontains":
		return true, g.strcontains(e)
	case "skboutput":
		return true, g.genSkbOutput(e)
	}
	return false, nil
}

// strncmp is 0 when the first n bytes of both strings are equal (or
// equal up to a NUL they share), else 1.
func (g *gen) strncmp(e *Call) error {
	mark := g.used
	defer g.release(mark)
	at, _ := g.typeOf(e.Args[0])
	bt, _ := g.typeOf(e.Args[1])
	a, b := g.alloc(at.Size), g.alloc(bt.Size)
	if err := g.genStr(e.Args[0], a, at.Size); err != nil {
		return err
	}
	if err := g.genStr(e.Args[1], b, bt.Size); err != nil {
		return err
	}
	n := int(e.Args[2].(*Int).V)
	same, differ, end := g.newLabel(), g.newLabel(), g.newLabel()
	for i := 0; i < min(n, at.Size, bt.Size); i++ {
		g.emit(asm.LoadMem(asm.R1, asm.R10, a+int16(i), asm.Byte), asm.LoadMem(asm.R2, asm.R10, b+int16(i), asm.Byte),
			asm.JNE.Reg(asm.R1, asm.R2, differ), asm.JEq.Imm(asm.R1, 0, same))
	}
	if n > min(at.Size, bt.Size) && at.Size != bt.Size {
		g.emit(asm.Ja.Label(differ))
	}
	g.mark(same)
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Ja.Label(end))
	g.mark(differ)
	g.emit(asm.Mov.Imm(asm.R0, 1))
	g.mark(end)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	return nil
}

// strcontains is 1 when the literal needle occurs in the string.
func (g *gen) strcontains(e *Call) error {
	mark := g.used
	defer g.release(mark)
	ht, _ := g.typeOf(e.Args[0])
	h := g.alloc(ht.Size)
	if err := g.genStr(e.Args[0], h, ht.Size); err != nil {
		return err
	}
	needle := e.Args[1].(*Str).V
	found, missing, end := g.newLabel(), g.newLabel(), g.newLabel()
	if needle == "" {
		g.emit(asm.Ja.Label(found))
	}
	for i := 0; needle != "" && i+len(needle) <= ht.Size; i++ {
		next := g.newLabel()
		for j := 0; j < len(needle); j++ {
			g.emit(asm.LoadMem(asm.R1, asm.R10, h+int16(i+j), asm.Byte), asm.JNE.Imm(asm.R1, int32(needle[j]), next))
		}
		g.emit(asm.Ja.Label(found))
		g.mark(next)
		// The string ended here: no later match.
		g.emit(asm.LoadMem(asm.R1, asm.R10, h+int16(i), asm.Byte), asm.JEq.Imm(asm.R1, 0, missing))
	}
	g.mark(missing)
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Ja.Label(end))
	g.mark(found)
	g.emit(asm.Mov.Imm(asm.R0, 1))
	g.mark(end)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	return nil
}

// outputCall sends time() and join() records.
func (g *gen) outputCall(call *Call) error {
	if _, err := g.typeOf(call); err != nil {
		return err
	}
	if call.Name == "time" {
		format := "%H:%M:%S\n"
		if len(call.Args) == 1 {
			format = call.Args[0].(*Str).V
		}
		return g.record(&Printf{Kind: PrintfTime, Format: format}, nil, nil)
	}
	return g.join(call)
}

// printValue is print(value): the value and a newline.
func (g *gen) printValue(call *Call) error {
	if len(call.Args) != 1 {
		return errAt(call, "print() takes a map, or one value")
	}
	t, err := g.typeOf(call.Args[0])
	if err != nil {
		return err
	}
	if t.Kind != KInt && t.Kind != KStr && !isValueKind(t.Kind) {
		return errAt(call.Args[0], "print() cannot print a %s value", t)
	}
	return g.record(&Printf{Kind: PrintfValue}, call.Args, nil)
}

// printTop is print(@map, top[, div]).
func (g *gen) printTop(call *Call) error {
	mr := call.Args[0].(*MapRef)
	m, ok := g.c.mapFor(mr)
	if !ok {
		return errAt(mr, "undefined map @%s", mr.Name)
	}
	if len(call.Args) > 3 {
		return errAt(call, "print() takes a map, then optionally how many top entries and a divisor")
	}
	var vals [2]int64
	for i, a := range call.Args[1:] {
		n, ok := a.(*Int)
		if !ok || n.V < 0 || n.V >= 1<<20 {
			return errAt(a, "print()'s top and divisor must be integer literals from 0 to %d", 1<<20-1)
		}
		vals[i] = n.V
	}
	if len(call.Args) == 3 && vals[1] == 0 {
		return errAt(call.Args[2], "print()'s divisor must not be 0")
	}
	return g.event(EventPrint, PrintArg(m.ID, int(vals[0]), int(vals[1])))
}

// join sends the strings of a NULL-ended array of user pointers (argv),
// each read into its own slot of a ring buffer record reserved for it:
// 16 KiB is far over the 512-byte stack.
func (g *gen) join(call *Call) error {
	delim := " "
	if len(call.Args) == 2 {
		delim = call.Args[1].(*Str).V
	}
	if !g.typing {
		g.c.printfs = append(g.c.printfs, &Printf{Kind: PrintfJoin, Format: delim})
	}
	id := len(g.c.printfs) - 1
	if err := g.genInt(call.Args[0]); err != nil {
		return err
	}
	size := 16 + JoinArgs*JoinArgSize
	mark := g.used
	defer g.release(mark)
	argv := g.alloc(8)
	ptr := g.alloc(8)
	g.emit(asm.StoreMem(asm.R10, argv, asm.R0, asm.DWord))
	lost, submit, done := g.newLabel(), g.newLabel(), g.newLabel()
	g.mapPtr(asm.R1, "events")
	g.emit(asm.Mov.Imm(asm.R2, int32(size)), asm.Mov.Imm(asm.R3, 0))
	g.call(asm.FnRingbufReserve)
	g.emit(asm.JEq.Imm(asm.R0, 0, lost), asm.Mov.Reg(asm.R7, asm.R0))
	g.emit(storeImm(asm.R7, 0, EventPrintf), storeImm(asm.R7, 8, int32(id)))
	for i := 0; i < JoinArgs; i++ {
		g.emit(asm.StoreImm(asm.R7, int16(16+i*JoinArgSize), 0, asm.Byte))
	}
	for i := 0; i < JoinArgs; i++ {
		g.stackPtr(asm.R1, ptr)
		g.emit(asm.Mov.Imm(asm.R2, 8), asm.LoadMem(asm.R3, asm.R10, argv, asm.DWord), asm.Add.Imm(asm.R3, int32(8*i)))
		g.call(asm.FnProbeReadUser)
		g.emit(asm.JNE.Imm(asm.R0, 0, submit), asm.LoadMem(asm.R3, asm.R10, ptr, asm.DWord), asm.JEq.Imm(asm.R3, 0, submit))
		g.emit(asm.Mov.Reg(asm.R1, asm.R7), asm.Add.Imm(asm.R1, int32(16+i*JoinArgSize)), asm.Mov.Imm(asm.R2, JoinArgSize))
		g.call(asm.FnProbeReadUserStr)
	}
	g.mark(submit)
	g.emit(asm.Mov.Reg(asm.R1, asm.R7), asm.Mov.Imm(asm.R2, 0))
	g.call(asm.FnRingbufSubmit)
	g.emit(asm.Ja.Label(done))
	g.mark(lost)
	g.countLost()
	g.mark(done)
	// Not r0 = r0: bpf_ringbuf_submit leaves r0 unreadable.
	g.emit(asm.Mov.Imm(asm.R0, 0))
	return nil
}

// cgroupID is cgroupid("/sys/fs/cgroup/..."): a cgroup v2 directory's
// id is its inode number, read when the program is compiled.
func (g *gen) cgroupID(e *Call) (uint64, error) {
	if len(e.Args) != 1 {
		return 0, errAt(e, "cgroupid() takes a cgroup directory's path")
	}
	lit, ok := e.Args[0].(*Str)
	if !ok {
		return 0, errAt(e.Args[0], "cgroupid() takes a string literal path")
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(lit.V, &fs); err != nil {
		return 0, errAt(e.Args[0], "cgroupid(%q): %v", lit.V, err)
	}
	if fs.Type != unix.CGROUP2_SUPER_MAGIC {
		return 0, errAt(e.Args[0], "cgroupid(%q): not a cgroup v2 directory", lit.V)
	}
	var st unix.Stat_t
	if err := unix.Stat(lit.V, &st); err != nil {
		return 0, errAt(e.Args[0], "cgroupid(%q): %v", lit.V, err)
	}
	return st.Ino, nil
}

// genMacaddr reads the 6 bytes of macaddr()'s address into off.
func (g *gen) genMacaddr(e *Call, off int16) error {
	g.zero(off, 8)
	if g.memberBytes(e.Args[0]) == 6 {
		if _, _, err := g.memberAddr(e.Args[0].(*Field)); err != nil {
			return err
		}
	} else if err := g.genInt(e.Args[0]); err != nil {
		return err
	}
	t, _ := g.typeOf(e.Args[0])
	g.emit(asm.Mov.Reg(asm.R3, asm.R0))
	g.stackPtr(asm.R1, off)
	g.emit(asm.Mov.Imm(asm.R2, 6))
	if t.User {
		g.call(asm.FnProbeReadUser)
	} else {
		g.call(asm.FnProbeReadKernel)
	}
	return nil
}
