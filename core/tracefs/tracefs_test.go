package tracefs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseMounts(t *testing.T) {
	tests := []struct {
		name, mounts, dir string
		found             bool
	}{
		{"modern", "sysfs /sys sysfs rw 0 0\ntracefs /sys/kernel/tracing tracefs rw 0 0\n", "/sys/kernel/tracing", true},
		{"debugfs only", "debugfs /sys/kernel/debug debugfs rw 0 0\ntracefs /sys/kernel/debug/tracing tracefs rw 0 0\n", "/sys/kernel/debug/tracing", true},
		{"both prefers modern", "tracefs /sys/kernel/debug/tracing tracefs rw 0 0\ntracefs /sys/kernel/tracing tracefs rw 0 0\n", "/sys/kernel/tracing", true},
		{"none", "proc /proc proc rw 0 0\n", "", false},
		{"garbage", "x\n\n", "", false},
	}
	for _, tt := range tests {
		dir, found := ParseMounts(strings.NewReader(tt.mounts))
		if dir != tt.dir || found != tt.found {
			t.Errorf("%s: %q %v", tt.name, dir, found)
		}
	}
}

func TestFakeFS(t *testing.T) {
	root := t.TempDir()
	ev := filepath.Join(root, "events/sched/sched_switch")
	os.MkdirAll(ev, 0o755)
	os.WriteFile(filepath.Join(ev, "id"), []byte("316\n"), 0o644)
	os.WriteFile(filepath.Join(ev, "format"), []byte("name: sched_switch\n"), 0o644)
	fs := FS{Root: root}
	if !fs.Exists("sched", "sched_switch") || fs.Exists("sched", "nope") {
		t.Error("Exists")
	}
	if id, err := fs.ID("sched", "sched_switch"); err != nil || id != 316 {
		t.Errorf("ID = %d, %v", id, err)
	}
	if _, err := fs.ID("sched", "nope"); err == nil {
		t.Error("ID of a missing tracepoint")
	}
	if f, err := fs.Format("sched", "sched_switch"); err != nil || !strings.HasPrefix(f, "name: sched_switch") {
		t.Errorf("Format = %q, %v", f, err)
	}
}

// TestLiveDir finds (mounting if needed, as root) the real tracefs.
func TestLiveDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting tracefs needs root")
	}
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "events/sched/sched_switch/id")); err != nil {
		t.Errorf("tracefs at %s lacks sched_switch: %v", dir, err)
	}
	if !EventExists("sched", "sched_switch") || EventExists("sched", "no_such_event") {
		t.Error("EventExists")
	}
}
