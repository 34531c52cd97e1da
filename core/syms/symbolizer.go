package syms

import (
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
)

// Unknown names a frame no symbol covers, as bcc prints it.
const Unknown = "[unknown]"

// Frame is one named stack frame.
type Frame struct {
	Addr   uint64
	Name   string // Unknown when no symbol covers Addr
	Offset uint64
	// Module is the kernel module ("ext4", "" for vmlinux) or the ELF
	// file mapped at Addr ("" when not known).
	Module string
	Kernel bool
	Known  bool
}

// FrameFormat says what a frame's text holds besides the name.
type FrameFormat struct {
	Offset  bool // "name+0x1a" (stackcount -s)
	Address bool // "ffffffff81000000 name" (stackcount -v)
	Module  bool // kernel module frames as "name [ext4]"
}

// Format is the frame as bcc's tools print it.
func (f Frame) Format(ff FrameFormat) string {
	var b strings.Builder
	if ff.Address {
		b.WriteString(strconv.FormatUint(f.Addr, 16))
		b.WriteByte(' ')
	}
	b.WriteString(f.Name)
	if ff.Offset && f.Known {
		b.WriteString("+0x")
		b.WriteString(strconv.FormatUint(f.Offset, 16))
	}
	if ff.Module && f.Kernel && f.Module != "" {
		b.WriteString(" [" + f.Module + "]")
	}
	return b.String()
}

// Symbolizer names kernel and user stacks for the stack tools and trace:
// kallsyms read once on first use, ELF files once per file (device and
// inode), and each distinct stack once.
type Symbolizer struct {
	once    sync.Once
	kernel  *KernelSymbols
	kernErr error
	user    *UserSymbols

	mu     sync.Mutex
	stacks map[string][]Frame
}

// NewSymbolizer returns an empty symbolizer.
func NewSymbolizer() *Symbolizer {
	return &Symbolizer{user: NewUserSymbols(), stacks: map[string][]Frame{}}
}

// NewSymbolizerWith uses an already parsed kallsyms (tests).
func NewSymbolizerWith(k *KernelSymbols) *Symbolizer {
	s := NewSymbolizer()
	s.once.Do(func() { s.kernel = k })
	return s
}

// KernelErr is why kernel frames are not named (kallsyms unreadable or
// hidden), or nil.
func (s *Symbolizer) KernelErr() error {
	s.loadKernel()
	return s.kernErr
}

func (s *Symbolizer) loadKernel() {
	s.once.Do(func() { s.kernel, s.kernErr = LoadKernel() })
}

// User is the per-file cache behind the user frames.
func (s *Symbolizer) User() *UserSymbols { return s.user }

// Kernel names a kernel address.
func (s *Symbolizer) Kernel(addr uint64) Frame {
	s.loadKernel()
	f := Frame{Addr: addr, Name: Unknown, Kernel: true}
	if s.kernel != nil {
		if sym, ok := s.kernel.Lookup(addr); ok {
			f.Name, f.Offset, f.Module, f.Known = sym.Name, sym.Offset, sym.Module, true
		}
	}
	return f
}

// UserFrame names an address of process pid; a process that exited has
// only Unknown frames.
func (s *Symbolizer) UserFrame(pid int, addr uint64) Frame {
	sym, ok := s.user.Lookup(pid, addr)
	return userFrame(addr, sym, ok)
}

func userFrame(addr uint64, sym Symbol, ok bool) Frame {
	f := Frame{Addr: addr, Name: Unknown, Module: sym.Module}
	if ok {
		f.Name, f.Offset, f.Known = sym.Name, sym.Offset, true
	}
	return f
}

// KernelStack names the frames of a kernel stack (innermost first,
// ending at the first zero address), once per distinct stack.
func (s *Symbolizer) KernelStack(ips []uint64) []Frame {
	return s.stack(-1, ips, func(ips []uint64, out []Frame) {
		for i, a := range ips {
			out[i] = s.Kernel(a)
		}
	})
}

// UserStack names the frames of process pid's user stack, once per
// distinct (pid, stack).
func (s *Symbolizer) UserStack(pid int, ips []uint64) []Frame {
	return s.stack(pid, ips, func(ips []uint64, out []Frame) {
		s.user.lookupStack(pid, ips, out)
	})
}

// maxKeyFrames is the deepest stack whose cache key is built on the
// goroutine's stack (perf's default limit is 127 frames).
const maxKeyFrames = 127

func (s *Symbolizer) stack(pid int, ips []uint64, name func([]uint64, []Frame)) []Frame {
	n := 0
	for n < len(ips) && ips[n] != 0 {
		n++
	}
	var buf [8 * (maxKeyFrames + 1)]byte
	key := buf[:0]
	if n > maxKeyFrames {
		key = make([]byte, 0, 8*(n+1))
	}
	key = binary.NativeEndian.AppendUint64(key, uint64(int64(pid)))
	for _, a := range ips[:n] {
		key = binary.NativeEndian.AppendUint64(key, a)
	}
	s.mu.Lock()
	frames, ok := s.stacks[string(key)]
	s.mu.Unlock()
	if ok {
		return frames
	}
	frames = make([]Frame, n)
	name(ips[:n], frames)
	s.mu.Lock()
	s.stacks[string(key)] = frames
	s.mu.Unlock()
	return frames
}

// Forget drops the per-stack and per-process caches (not the per-file
// one): a long-running tool calls it between intervals, so processes
// that exec'd or exited since are read again and memory stays bounded.
func (s *Symbolizer) Forget() {
	s.mu.Lock()
	s.stacks = map[string][]Frame{}
	s.mu.Unlock()
	s.user.mu.Lock()
	s.user.procs = map[int]*process{}
	s.user.mu.Unlock()
}
