package privs

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestCheckIdentity(t *testing.T) {
	tests := []struct {
		name string
		id   Identity
		want string // substring of the refusal; "" means allowed
	}{
		{"root", Identity{ExeMode: 0o755}, ""},
		{"user", Identity{UID: 1000, EUID: 1000, GID: 100, EGID: 100, ExeMode: 0o755}, ""},
		{"mode unknown", Identity{UID: 5, EUID: 5, GID: 5, EGID: 5}, ""},
		{"setuid binary run by root", Identity{ExeMode: 0o755 | fs.ModeSetuid, Exe: "/usr/bin/probebox"}, "set-user-ID"},
		{"setgid binary", Identity{ExeMode: 0o755 | fs.ModeSetgid, Exe: "/usr/bin/probebox"}, "set-group-ID"},
		{"euid differs", Identity{UID: 1000, EUID: 0, GID: 1000, EGID: 1000, ExeMode: 0o755}, "real user ID 1000 differs from effective user ID 0"},
		{"egid differs", Identity{UID: 1000, EUID: 1000, GID: 1000, EGID: 0, ExeMode: 0o755}, "real group ID 1000 differs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckIdentity(tt.id)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrSetuid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a refusal mentioning %q", err, tt.want)
			}
		})
	}
}
