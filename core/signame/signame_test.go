package signame

import "testing"

func TestNames(t *testing.T) {
	for _, tt := range []struct {
		sig        int
		name, desc string
	}{
		{9, "SIGKILL", "Killed"},
		{10, "SIGUSR1", "User defined signal 1"},
		{15, "SIGTERM", "Terminated"},
		{34, "SIGRTMIN", "Real-time signal 2"},
		{36, "SIGRTMIN+2", "Real-time signal 4"},
		{64, "SIGRTMAX", "Real-time signal 32"},
		{0, "0", "Unknown signal 0"},
		{99, "99", "Unknown signal 99"},
	} {
		if got := Name(tt.sig); got != tt.name {
			t.Errorf("Name(%d) = %q, want %q", tt.sig, got, tt.name)
		}
		if got := Describe(tt.sig); got != tt.desc {
			t.Errorf("Describe(%d) = %q, want %q", tt.sig, got, tt.desc)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		sig  int
		okay bool
	}{
		{"10", 10, true}, {"USR1", 10, true}, {"SIGUSR1", 10, true}, {"sigkill", 9, true},
		{"SIGRTMIN+2", 36, true}, {"0", 0, true}, {"65", 65, false}, {"-1", -1, false}, {"BOGUS", 0, false}, {"", 0, false},
	} {
		sig, ok := Parse(tt.in)
		if ok != tt.okay || (ok && sig != tt.sig) {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.in, sig, ok, tt.sig, tt.okay)
		}
	}
}
