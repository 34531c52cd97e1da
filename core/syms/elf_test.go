package syms

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// cBuild is a C program and its shared library, built by gcc for the
// test: a PIE executable whose static function is only in .symtab, and a
// library mapped at a run-time base.
type cBuild struct {
	dir, exe, lib string
}

func needGCC(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"gcc", "objcopy", "strip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: %v", tool, err)
		}
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func buildC(t *testing.T, buildID bool) cBuild {
	t.Helper()
	needGCC(t)
	dir := t.TempDir()
	b := cBuild{dir: dir, exe: filepath.Join(dir, "pbxtarget"), lib: filepath.Join(dir, "libpbxt.so")}
	idFlag := "-Wl,--build-id=none"
	if buildID {
		idFlag = "-Wl,--build-id=sha1"
	}
	run(t, "gcc", "-O1", "-g", "-shared", "-fPIC", idFlag, "-o", b.lib, "testdata/c/lib.c")
	run(t, "gcc", "-O1", "-g", "-fPIE", "-pie", idFlag, "-o", b.exe, "testdata/c/main.c", "-L"+dir, "-lpbxt", "-Wl,-rpath,"+dir)
	return b
}

// stripWithDebuglink moves the executable's symbols into NAME.debug next
// to it (the .debug subfolder when sub) and strips it.
func stripWithDebuglink(t *testing.T, exe string, sub bool) string {
	dbg := exe + ".debug"
	if sub {
		os.Mkdir(filepath.Join(filepath.Dir(exe), ".debug"), 0o755)
		dbg = filepath.Join(filepath.Dir(exe), ".debug", filepath.Base(exe)+".debug")
	}
	run(t, "objcopy", "--only-keep-debug", exe, dbg)
	run(t, "strip", "--strip-all", exe)
	// objcopy finds the debug file by the name given, and records its base name.
	cmd := exec.Command("objcopy", "--add-gnu-debuglink="+filepath.Base(dbg), exe)
	cmd.Dir = filepath.Dir(dbg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("objcopy --add-gnu-debuglink: %v\n%s", err, out)
	}
	return dbg
}

// start runs the program and reads the two addresses it prints.
func start(t *testing.T, exe string) (pid int, static, lib uint64, stop func()) {
	t.Helper()
	cmd := exec.Command(exe)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop = func() { stdin.Close(); cmd.Wait() }
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		t.Fatal(err)
	}
	f := strings.Fields(line)
	static, _ = strconv.ParseUint(f[0], 10, 64)
	lib, _ = strconv.ParseUint(f[1], 10, 64)
	return cmd.Process.Pid, static, lib, stop
}

func TestSymbolizerC(t *testing.T) {
	tests := []struct {
		name  string
		strip func(t *testing.T, b cBuild) // nil: keep .symtab
		id    bool
		debug string // the debug file the symbols must come from ("" none)
	}{
		{name: "pie with symtab"},
		{name: "stripped debuglink beside", strip: func(t *testing.T, b cBuild) { stripWithDebuglink(t, b.exe, false) }, debug: "pbxtarget.debug"},
		{name: "stripped debuglink in .debug", strip: func(t *testing.T, b cBuild) { stripWithDebuglink(t, b.exe, true) }, debug: ".debug/pbxtarget.debug"},
		{name: "stripped build-id", id: true, strip: func(t *testing.T, b cBuild) {
			e, err := OpenELF(b.exe)
			if err != nil || len(e.BuildID()) != 40 {
				t.Fatalf("build-id %q, %v", e.BuildID(), err)
			}
			dir := filepath.Join(b.dir, "usr-lib-debug", ".build-id", e.BuildID()[:2])
			os.MkdirAll(dir, 0o755)
			run(t, "objcopy", "--only-keep-debug", b.exe, filepath.Join(dir, e.BuildID()[2:]+".debug"))
			run(t, "strip", "--strip-all", b.exe)
			old := DebugDirs
			DebugDirs = []string{filepath.Join(b.dir, "usr-lib-debug")}
			t.Cleanup(func() { DebugDirs = old })
		}, debug: "usr-lib-debug/.build-id/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := buildC(t, tt.id)
			if tt.strip != nil {
				tt.strip(t, b)
				if e, _ := OpenELF(b.exe); e == nil || e.DebugFile() == "" {
					t.Fatalf("no debug file found for the stripped %s", b.exe)
				} else if !strings.Contains(e.DebugFile(), tt.debug) {
					t.Errorf("debug file %s, want one containing %s", e.DebugFile(), tt.debug)
				}
			}
			pid, static, lib, stop := start(t, b.exe)
			defer stop()
			s := NewSymbolizer()
			if f := s.UserFrame(pid, static+2); f.Name != "pbx_static_function" || f.Offset != 2 || f.Module != b.exe {
				t.Errorf("static function: %+v", f)
			}
			if f := s.UserFrame(pid, lib); f.Name != "pbx_lib_function" || f.Module != b.lib {
				t.Errorf("library function: %+v", f)
			}
			frames := s.UserStack(pid, []uint64{static, lib, 0, 99})
			if len(frames) != 2 || frames[0].Name != "pbx_static_function" || frames[1].Name != "pbx_lib_function" {
				t.Errorf("stack %+v", frames)
			}
		})
	}
}

// TestStrippedWithoutDebugFile: the static function is gone, and nothing
// names its address wrongly as something it is not... except the nearest
// exported symbol, which is what every symbolizer does without sizes.
func TestStrippedKeepsDynsym(t *testing.T) {
	b := buildC(t, false)
	run(t, "strip", "--strip-all", b.lib)
	e, err := OpenELF(b.lib)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Address("pbx_lib_function"); !ok {
		t.Error("a stripped library lost its exported (.dynsym) function")
	}
}

func TestExitedProcess(t *testing.T) {
	cmd := exec.Command("/bin/true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	s := NewSymbolizer()
	frames := s.UserStack(cmd.Process.Pid, []uint64{0x401000, 0x401010})
	for _, f := range frames {
		if f.Name != Unknown || f.Known {
			t.Errorf("exited process frame %+v", f)
		}
	}
	if got := frames[0].Format(FrameFormat{Offset: true}); got != Unknown {
		t.Errorf("format %q", got)
	}
}

func TestPerfMap(t *testing.T) {
	pid := os.Getpid()
	path := "/tmp/perf-" + strconv.Itoa(nsPID(pid)) + ".map"
	if _, err := os.Stat(path); err == nil {
		t.Skipf("%s exists already", path)
	}
	// Addresses below any mapping, as a JIT's anonymous code would be to
	// a maps file read before it was made.
	text := "1000 100 LazyCompile:*hot /app/x.js:1\n0x2000 0x10 Interpreted:cold\n1000 80 LazyCompile:*hot2 /app/x.js:9\nnot a line\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Skip(err)
	}
	defer os.Remove(path)
	s := NewSymbolizer()
	tests := []struct {
		addr uint64
		want string
	}{
		{0x1010, "LazyCompile:*hot2 /app/x.js:9+0x10"}, // the later line wins
		{0x2008, "Interpreted:cold+0x8"},
		{0x2010, Unknown},
		{0x900, Unknown},
	}
	for _, tt := range tests {
		if got := s.UserFrame(pid, tt.addr).Format(FrameFormat{Offset: true}); got != tt.want {
			t.Errorf("%#x: %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// TestStrippedGo names a Go function of a binary built with -s (no
// .symtab) from its pclntab.
func TestStrippedGo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatalf("PROBEBOX_LIVE=1 but %v", err)
		}
		t.Skip(err)
	}
	bin := filepath.Join(t.TempDir(), "target")
	build := exec.Command("go", "build", "-ldflags=-s -w", "-o", bin, "./testdata/target")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	e, err := OpenELF(bin)
	if err != nil {
		t.Fatal(err)
	}
	addr, ok := e.Address("main.symsTargetFunction")
	if !ok {
		t.Fatalf("no main.symsTargetFunction among %d symbols of a stripped Go binary", e.Len())
	}
	if s, ok := e.Lookup(addr + 1); !ok || s.Name != "main.symsTargetFunction" {
		t.Errorf("Lookup = %+v", s)
	}
}

func TestFrameFormat(t *testing.T) {
	f := Frame{Addr: 0xffffffff81000010, Name: "ext4_sync_file", Offset: 0x10, Module: "ext4", Kernel: true, Known: true}
	tests := []struct {
		ff   FrameFormat
		want string
	}{
		{FrameFormat{}, "ext4_sync_file"},
		{FrameFormat{Offset: true}, "ext4_sync_file+0x10"},
		{FrameFormat{Module: true, Offset: true}, "ext4_sync_file+0x10 [ext4]"},
		{FrameFormat{Address: true}, "ffffffff81000010 ext4_sync_file"},
	}
	for _, tt := range tests {
		if got := f.Format(tt.ff); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.ff, got, tt.want)
		}
	}
}

// TestPrimedProcessExited: a process primed while it ran is named after
// it exited and its files were deleted (Prime keeps the files open and
// reads their symbols only at lookup time).
func TestPrimedProcessExited(t *testing.T) {
	b := buildC(t, false)
	pid, static, lib, stop := start(t, b.exe)
	s := NewSymbolizer()
	s.User().Prime(pid)
	if n := s.User().Files(); n != 0 {
		t.Errorf("Prime read %d files' symbols; they are read at lookup time", n)
	}
	stop()
	os.Remove(b.exe)
	os.Remove(b.lib)
	if f := s.UserFrame(pid, static+2); f.Name != "pbx_static_function" || f.Offset != 2 || f.Module != b.exe {
		t.Errorf("static function of the exited process: %+v", f)
	}
	if f := s.UserFrame(pid, lib); f.Name != "pbx_lib_function" || f.Module != b.lib {
		t.Errorf("library function of the exited process: %+v", f)
	}
}
