package probes

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/cilium/ebpf/btf"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*", "tracepoint:sched:sched_switch", true},
		{"tracepoint:*:sched_process_exit*", "tracepoint:sched:sched_process_exit", true},
		{"tracepoint:*:sched_process_exit*", "tracepoint:sched:sched_process_exec", false},
		{"*sleep*", "kprobe:do_nanosleep", true},
		{"kprobe:vfs_?ead", "kprobe:vfs_read", true},
		{"kprobe:vfs_?ead", "kprobe:vfs_write", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"", "", true},
		{"", "x", false},
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.name); got != tt.want {
			t.Errorf("Match(%q, %q) = %v", tt.pattern, tt.name, got)
		}
	}
}

func fakeLister() *Lister {
	return &Lister{TracefsDir: "testdata/tracefs", Kallsyms: "testdata/kallsyms"}
}

func list(t *testing.T, l *Lister, pattern string) []string {
	t.Helper()
	var got []string
	if err := l.List(pattern, func(n string) error { got = append(got, n); return nil }); err != nil {
		t.Fatalf("List(%q): %v", pattern, err)
	}
	return got
}

func TestListFake(t *testing.T) {
	l := fakeLister()
	tests := []struct {
		pattern string
		want    []string
	}{
		{"tracepoint:*:sched_process_exit*", []string{"tracepoint:sched:sched_process_exit"}},
		{"t:sched:sched_process_e*", []string{"tracepoint:sched:sched_process_exec", "tracepoint:sched:sched_process_exit"}},
		{"kprobe:vfs_*", []string{"kprobe:vfs_read", "kprobe:vfs_write"}},
		{"*nanosleep*", []string{"kprobe:do_nanosleep", "kretprobe:do_nanosleep"}},
		{"software:*faults*", []string{"software:alignment-faults:", "software:emulation-faults:", "software:major-faults:", "software:minor-faults:", "software:page-faults:"}},
		{"interval:*", []string{"interval:hz:", "interval:ms:", "interval:s:", "interval:us:"}},
	}
	for _, tt := range tests {
		if got := list(t, l, tt.pattern); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("List(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

func TestListKallsymsFallback(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/kallsyms", []byte("ffffffff81000000 T _stext\nffffffff81000100 t do_one\nffffffff81000200 D some_data\nffffffff81000300 T do_two\n"), 0o644)
	l := &Lister{Kallsyms: dir + "/kallsyms"}
	if got := list(t, l, "kprobe:do_*"); !reflect.DeepEqual(got, []string{"kprobe:do_one", "kprobe:do_two"}) {
		t.Errorf("kallsyms fallback: %q", got)
	}
}

func TestParseFormat(t *testing.T) {
	l := fakeLister()
	args, err := l.Arguments("tracepoint:syscalls:sys_enter_openat")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"int __syscall_nr", "int dfd", "const char * filename", "int flags", "umode_t mode"}
	if !reflect.DeepEqual(args, want) {
		t.Errorf("openat args %q, want %q", args, want)
	}
	fields, err := l.TracepointFields("sched", "sched_process_exit")
	if err != nil {
		t.Fatal(err)
	}
	var comm *Field
	for i := range fields {
		if fields[i].Name == "comm" {
			comm = &fields[i]
		}
	}
	if comm == nil || comm.ArrayLen != 16 || comm.Size != 16 || comm.Decl() != "char comm[16]" {
		t.Errorf("comm field %+v", comm)
	}
	if _, err := ParseFormat("name: x\nformat:\n\tfield:int;\n"); err == nil {
		t.Error("a malformed format parsed")
	}
}

func TestStapsdtNotes(t *testing.T) {
	bo := binary.LittleEndian
	desc := make([]byte, 24)
	bo.PutUint64(desc[0:], 0x1234)
	bo.PutUint64(desc[8:], 0x5000)
	bo.PutUint64(desc[16:], 0)
	desc = append(desc, "myprov\x00myprobe\x00-4@%edi\x00"...)
	note := make([]byte, 12)
	bo.PutUint32(note[0:], 8)
	bo.PutUint32(note[4:], uint32(len(desc)))
	bo.PutUint32(note[8:], 3)
	note = append(note, "stapsdt\x00"...)
	note = append(note, desc...)
	for len(note)%4 != 0 {
		note = append(note, 0)
	}
	notes, err := parseStapsdt(note, bo, true)
	if err != nil || len(notes) != 1 {
		t.Fatalf("notes %v, err %v", notes, err)
	}
	if n := notes[0]; n.Provider != "myprov" || n.Name != "myprobe" || n.PC != 0x1234 || n.Args != "-4@%edi" {
		t.Errorf("note %+v", n)
	}
	if _, err := parseStapsdt(note[:20], bo, true); err == nil {
		t.Error("a truncated note parsed without error")
	}
}

// TestFunctionSymbols builds a small binary (go test's own binary is
// stripped) and finds its function in the symbol table.
func TestFunctionSymbols(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "target")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/target")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	syms, err := FunctionSymbols(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(syms, "main.probeboxTargetFunction") {
		t.Errorf("main.probeboxTargetFunction is not among %d symbols", len(syms))
	}
	got := list(t, &Lister{}, "uprobe:"+bin+":main.probebox*")
	if !reflect.DeepEqual(got, []string{"uprobe:" + bin + ":main.probeboxTargetFunction"}) {
		t.Errorf("uprobe listing: %q", got)
	}
	if _, err := FunctionSymbols("testdata/tracefs/available_events"); err == nil {
		t.Error("a text file read as ELF")
	}
}

func TestListLive(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		t.Skip("no kernel BTF")
	}
	l := &Lister{TracefsDir: "/sys/kernel/tracing", KernelBTF: btf.LoadKernelSpec}
	if _, err := os.Stat("/sys/kernel/tracing/available_events"); err == nil {
		if got := list(t, l, "tracepoint:*:sched_process_exit*"); !reflect.DeepEqual(got, []string{"tracepoint:sched:sched_process_exit"}) {
			t.Errorf("tracepoints: %q", got)
		}
	}
	if got := list(t, l, "rawtracepoint:sched_switch"); !reflect.DeepEqual(got, []string{"rawtracepoint:sched_switch"}) {
		t.Errorf("raw tracepoints: %q", got)
	}
	if got := list(t, l, "fentry:vfs_read"); !reflect.DeepEqual(got, []string{"fentry:vfs_read"}) {
		t.Errorf("fentry: %q", got)
	}
	args, err := l.Arguments("fexit:vfs_read")
	if err != nil || len(args) != 5 || args[0] != "struct file * file" || args[4] != "ssize_t retval" {
		t.Errorf("fexit:vfs_read args %q, %v", args, err)
	}
}
