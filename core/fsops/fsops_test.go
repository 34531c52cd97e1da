package fsops

import (
	"testing"

	"github.com/cilium/ebpf"
)

func TestHooksAndTargets(t *testing.T) {
	h := Hooks("xfs", 4)
	if len(h) != 1 || len(h[0].Candidates) != 2 || len(h[0].Candidates[0].Attach) != 8 {
		t.Fatalf("hooks %+v", h)
	}
	if a := h[0].Candidates[1].Attach[7]; a.Target != "xfs_file_fsync" || a.Program != "kretprobe_fsync" {
		t.Errorf("last kprobe attachment %+v", a)
	}
	spec := &ebpf.CollectionSpec{Programs: map[string]*ebpf.ProgramSpec{"fentry_open": {}, "fexit_getattr": {}}}
	SetTargets(spec, "nfs")
	if spec.Programs["fentry_open"].AttachTo != "nfs_file_open" || spec.Programs["fexit_getattr"].AttachTo != "nfs_getattr" {
		t.Errorf("targets %q %q", spec.Programs["fentry_open"].AttachTo, spec.Programs["fexit_getattr"].AttachTo)
	}
}

func TestNames(t *testing.T) {
	if Check("ext4") != nil || Check("zfs") == nil || Check("") == nil {
		t.Error("Check")
	}
	for name, want := range map[string]string{"ext4dist": "ext4", "btrfsslower": "btrfs", "fsdist": "", "zfsdist": ""} {
		suffix := "dist"
		if len(name) > 6 && name[len(name)-6:] == "slower" {
			suffix = "slower"
		}
		if got := FromName(name, suffix); got != want {
			t.Errorf("FromName(%q) = %q, want %q", name, got, want)
		}
	}
}
