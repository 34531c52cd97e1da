package lang

import (
	"strings"
	"testing"
)

// TestPIDFilter: with Options.PID, event probes start with a pid check;
// BEGIN, END and interval probes (run from user space) do not.
func TestPIDFilter(t *testing.T) {
	prog, err := Parse("t", `BEGIN { @b = 1; } tracepoint:syscalls:sys_enter_read { @r = count(); } interval:s:1 { exit(); }`)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range []uint32{0, 4242} {
		c, err := Compile(prog, newFakeEnv(), Options{Arch: "amd64", PID: pid})
		if err != nil {
			t.Fatal(err)
		}
		if c.PID != pid {
			t.Errorf("Compiled.PID = %d, want %d", c.PID, pid)
		}
		for _, p := range c.Probes {
			got := strings.Contains(p.Spec.Instructions.String(), "imm: 4242")
			want := pid != 0 && p.Target.Kind == "tracepoint"
			if got != want {
				t.Errorf("pid %d, %s: pid check %v, want %v\n%v", pid, p.Target.Text, got, want, p.Spec.Instructions)
			}
		}
	}
}

// TestCpid: cpid is Options.CPID, a constant in the program.
func TestCpid(t *testing.T) {
	prog, err := Parse("t", `tracepoint:sched:sched_process_exit /pid == cpid/ { exit(); }`)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(prog, newFakeEnv(), Options{Arch: "amd64", CPID: 4243})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Probes[0].Spec.Instructions.String(), "MovImm dst: r0 imm: 4243") {
		t.Errorf("no cpid constant in\n%v", c.Probes[0].Spec.Instructions)
	}
}
