package syms

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/procmaps"
)

func TestParseKallsyms(t *testing.T) {
	f, err := os.Open("testdata/kallsyms")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	k, err := ParseKallsyms(f)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr uint64
		want string
		ok   bool
	}{
		{0xffffffff81000000, "_stext", true},
		{0xffffffff81000105, "do_one+5", true},
		{0xffffffff81000250, "do_one+336", true}, // data symbols are skipped
		{0xffffffff81000300, "do_two", true},
		{0xffffffffc0000010, "ext4_thing+16", true},
		{0x1000, "", false},
	}
	for _, tt := range tests {
		s, ok := k.Lookup(tt.addr)
		if ok != tt.ok || (ok && s.String() != tt.want) {
			t.Errorf("Lookup(%#x) = %q, %v", tt.addr, s.String(), ok)
		}
	}
	if s, _ := k.Lookup(0xffffffffc0000000); s.Module != "ext4" {
		t.Errorf("module %q", s.Module)
	}
	if a, ok := k.Address("do_two"); !ok || a != 0xffffffff81000300 {
		t.Errorf("Address(do_two) = %#x", a)
	}
}

func TestRestricted(t *testing.T) {
	_, err := ParseKallsyms(strings.NewReader("0000000000000000 T _stext\n0000000000000000 t foo\n"))
	if err != ErrRestricted {
		t.Errorf("all-zero kallsyms: %v", err)
	}
}

func TestLiveKallsyms(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("kallsyms addresses need root")
	}
	k, err := LoadKernel()
	if err != nil {
		t.Fatal(err)
	}
	addr, ok := k.Address("schedule")
	if !ok {
		t.Fatal("no schedule in kallsyms")
	}
	if s, ok := k.Lookup(addr + 1); !ok || s.String() != "schedule+1" {
		t.Errorf("Lookup(schedule+1) = %q", s.String())
	}
}

// TestUserSymbols names a function of a running process from its address.
func TestUserSymbols(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "target")
	build := exec.Command("go", "build", "-o", bin, "./testdata/target")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := strconv.ParseUint(strings.TrimSpace(line), 10, 64)
	u := NewUserSymbols()
	s, ok := u.Lookup(cmd.Process.Pid, addr+3)
	if !ok || s.Name != "main.symsTargetFunction" || s.Offset != 3 || s.Module != bin {
		t.Errorf("Lookup = %+v, %v", s, ok)
	}
	e, err := OpenELF(bin)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := e.Address("main.symsTargetFunction"); !ok || a == 0 {
		t.Error("Address of the target function")
	}
	u.Invalidate(cmd.Process.Pid)
	if _, ok := u.Lookup(cmd.Process.Pid, 1); ok {
		t.Error("address 1 named")
	}
}

func TestBadELF(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "truncated")
	src, _ := os.Open("/bin/true")
	defer src.Close()
	head := make([]byte, 200)
	io.ReadFull(src, head)
	os.WriteFile(bad, head, 0o755)
	if _, err := OpenELF(bad); err == nil {
		t.Error("a truncated ELF opened")
	}
	if _, err := OpenELF(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file opened")
	}
}

func TestParseMaps(t *testing.T) {
	text := "00400000-00452000 r-xp 00001000 08:02 173521 /usr/bin/dbus-daemon\n" +
		"00651000-00652000 rw-p 00051000 08:02 173521 /usr/bin/dbus-daemon\n" +
		"7fff0000-7fff1000 r-xp 00000000 00:00 0 [vdso]\n" +
		"7ffe0000-7ffe1000 r-xp 00000000 00:00 0 [anon:jit]\n" +
		"garbage\n"
	raw, err := procmaps.Parse(strings.NewReader(text), executableCode)
	maps := toMappings(raw)
	if err != nil || len(maps) != 2 || maps[0].start != 0x400000 || maps[0].off != 0x1000 || maps[0].path != "/usr/bin/dbus-daemon" ||
		maps[0].file != (fileKey{dev: "08:02", inode: 173521}) || maps[1].start != 0x7ffe0000 || maps[1].path != "" {
		t.Errorf("maps %+v, %v", maps, err)
	}
}
