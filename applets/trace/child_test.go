package trace

import (
	"reflect"
	"testing"
)

// TestCommandArgs: a plain command runs directly (cpid is its pid), one
// with shell syntax through /bin/sh.
func TestCommandArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"/bin/cat /etc/hostname", []string{"/bin/cat", "/etc/hostname"}},
		{"  sleep   1 ", []string{"sleep", "1"}},
		{"echo a | cat", []string{"/bin/sh", "-c", "echo a | cat"}},
		{"ls *.go", []string{"/bin/sh", "-c", "ls *.go"}},
		{"X=1 env", []string{"/bin/sh", "-c", "X=1 env"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := commandArgs(tt.in); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("commandArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
