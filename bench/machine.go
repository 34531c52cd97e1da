package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// Machine says where and with what the figures were taken.
type Machine struct {
	Kernel      string `json:"kernel"`
	CPU         string `json:"cpu"`
	CPUs        int    `json:"cpus"`
	Probebox    string `json:"probebox"`
	LibbpfTools string `json:"libbpf_tools,omitempty"`
	Bpftrace    string `json:"bpftrace,omitempty"`
	Go          string `json:"go"`
}

func machine(probebox string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		m.Kernel = unix.ByteSliceToString(u.Release[:]) + " " + unix.ByteSliceToString(u.Machine[:])
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	m.Probebox = firstLine(exec.Command(probebox, "--version"))
	m.LibbpfTools = firstLine(exec.Command("dpkg-query", "-W", "-f", "${Version}", "libbpf-tools"))
	m.Bpftrace = firstLine(exec.Command("bpftrace", "--version"))
	return m
}

func firstLine(cmd *exec.Cmd) string {
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	l, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return l
}

func (m Machine) write(w io.Writer) {
	fmt.Fprintf(w, "Machine: %s, %d CPUs, Linux %s\n", m.CPU, m.CPUs, m.Kernel)
	fmt.Fprintf(w, "probebox: %s (%s); libbpf-tools: %s; bpftrace: %s\n", m.Probebox, m.Go, orNone(m.LibbpfTools), orNone(m.Bpftrace))
}

func orNone(s string) string {
	if s == "" {
		return "not installed"
	}
	return s
}
