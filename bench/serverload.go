package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// serverLoad is the stacks bench's own workload, something like a
// server's, so that profile has the same processes to sample on any
// machine: long-running busy processes in several binaries built without
// frame pointers (more of them than this 2-CPU machine has CPUs, so
// every CPU is busy) and a steady churn of short new processes, as
// health checks and cron start them. Each is its own process group,
// killed whole when the run ends.
type serverLoad struct {
	cmds    []*exec.Cmd
	ran     []string // what runs, for the notes
	missing []string // programs not installed, left out
	rounds  string   // the churn loop appends a byte here per round
	began   time.Time
	stop    func() // kills the process groups (also at an interrupt)
}

// churnPerRound is how many processes one round of the churn loop starts:
// ls, sed, sh -c and sleep.
const churnPerRound = 4

// churnScript starts churnPerRound short processes a round, about 5
// rounds a second: some 20 new processes a second.
const churnScript = `while :; do ls / >/dev/null; sed -n 1p /etc/passwd >/dev/null; sh -c 'cat /proc/loadavg' >/dev/null; printf . >>"$1"; sleep 0.15; done`

// startServerLoad starts what of the workload is installed (looked up in
// PATH, as which does); a program that is not is left out, and said.
func (b *bench) startServerLoad() *serverLoad {
	l := &serverLoad{rounds: filepath.Join(b.dir, "churn-rounds"), began: time.Now()}
	os.Remove(l.rounds)
	l.stop = atInterrupt(l.kill)
	busy := []struct {
		name string
		args []string
		what string
	}{
		{"python3", []string{"-c", "def f(n): return sum(i * i for i in range(n))\nwhile True: f(1000)"}, "python3 loop"},
		{"perl", []string{"-e", "sub f { my $s = 0; $s += $_ * $_ for 1 .. $_[0]; $s } f(1000) while 1"}, "perl loop"},
		{"openssl", []string{"speed", "-seconds", "3600", "sha256"}, "openssl speed sha256 (libcrypto)"},
	}
	for _, p := range busy {
		path, err := exec.LookPath(p.name)
		if err != nil {
			l.missing = append(l.missing, p.name)
			continue
		}
		if err := l.start(exec.Command(path, p.args...)); err != nil {
			l.missing = append(l.missing, fmt.Sprintf("%s (%v)", p.name, err))
			continue
		}
		l.ran = append(l.ran, p.what+" "+path)
	}
	// The bench's C workload built without frame pointers (gcc's -O2
	// default on x86-64), calling a function in a loop.
	if exe, err := b.compileCWorkload("cworkload-nofp", "-fomit-frame-pointer"); err != nil {
		l.missing = append(l.missing, "cworkload ("+err.Error()+")")
	} else if err := l.startC(exe); err != nil {
		l.missing = append(l.missing, "cworkload ("+err.Error()+")")
	} else {
		l.ran = append(l.ran, "cworkload callloop (gcc -O2 -fomit-frame-pointer)")
	}
	var absent []string
	for _, p := range []string{"sh", "ls", "sed", "cat", "sleep"} {
		if _, err := exec.LookPath(p); err != nil {
			absent = append(absent, p)
		}
	}
	if len(absent) > 0 {
		l.missing = append(l.missing, "the churn ("+strings.Join(absent, ", ")+" not installed)")
	} else if err := l.start(exec.Command("sh", "-c", churnScript, "churn", l.rounds)); err != nil {
		l.missing = append(l.missing, fmt.Sprintf("the churn (%v)", err))
	}
	return l
}

// start starts cmd in a process group of its own, output discarded.
func (l *serverLoad) start(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	l.cmds = append(l.cmds, cmd)
	return nil
}

// startC starts the C workload's callloop with a count it never reaches
// and lets it go once it says ready.
func (l *serverLoad) startC(exe string) error {
	cmd := exec.Command(exe, "callloop", "1000000000000000")
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := l.start(cmd); err != nil {
		return err
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		return fmt.Errorf("said %q: %v", line, err)
	}
	_, err = in.Write([]byte{'g'})
	return err
}

// kill ends every process group and waits for the leaders.
func (l *serverLoad) kill() {
	for _, c := range l.cmds {
		syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
	}
	for _, c := range l.cmds {
		c.Wait()
	}
}

// end stops the workload and says what ran, for the notes.
func (l *serverLoad) end() string {
	l.stop()
	secs := time.Since(l.began).Seconds()
	var s strings.Builder
	s.WriteString("own workload: busy ")
	s.WriteString(strings.Join(l.ran, ", "))
	if st, err := os.Stat(l.rounds); err == nil {
		fmt.Fprintf(&s, "; sh starting ls, sed, sh -c, sleep: %.0f new processes/s", float64(st.Size()*churnPerRound)/secs)
	}
	if len(l.missing) > 0 {
		s.WriteString("; left out: " + strings.Join(l.missing, ", "))
	}
	return s.String()
}
