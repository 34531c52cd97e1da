// Package fsops is what fsdist and fsslower share: the file systems they
// know, the kernel functions of each file system's operations, and the
// hook candidates and BPF program targets built from them.
package fsops

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/attach"
)

// Ops are the operations in the BPF side's order (enum fs_op).
var Ops = []string{"read", "write", "open", "fsync", "getattr"}

// Systems are the file systems and the functions of their operations, as
// libbpf-tools' fsdist and fsslower trace them.
var Systems = map[string][5]string{
	"ext4":  {"ext4_file_read_iter", "ext4_file_write_iter", "ext4_file_open", "ext4_sync_file", "ext4_file_getattr"},
	"btrfs": {"btrfs_file_read_iter", "btrfs_file_write_iter", "btrfs_file_open", "btrfs_sync_file", "btrfs_getattr"},
	"xfs":   {"xfs_file_read_iter", "xfs_file_write_iter", "xfs_file_open", "xfs_file_fsync", "xfs_vn_getattr"},
	"nfs":   {"nfs_file_read", "nfs_file_write", "nfs_file_open", "nfs_file_fsync", "nfs_getattr"},
}

// Names lists the file systems, sorted.
func Names() []string {
	var out []string
	for n := range Systems {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Check validates -t FS.
func Check(fs string) error {
	if _, ok := Systems[fs]; !ok {
		return fmt.Errorf("invalid file system %q: want one of %s", fs, strings.Join(Names(), ", "))
	}
	return nil
}

// Hooks are the candidates for fs's operations (the first n of Ops):
// fentry/fexit pairs, else kprobe/kretprobe pairs, on its functions. The
// programs are named fentry_OP, fexit_OP, kprobe_OP and kretprobe_OP.
func Hooks(fs string, n int) []attach.Hook {
	fns := Systems[fs]
	var fentry, kprobe []attach.Attachment
	for i, op := range Ops[:n] {
		fentry = append(fentry,
			attach.Attachment{Kind: attach.Fentry, Target: fns[i], Program: "fentry_" + op},
			attach.Attachment{Kind: attach.Fexit, Target: fns[i], Program: "fexit_" + op})
		kprobe = append(kprobe,
			attach.Attachment{Kind: attach.Kprobe, Target: fns[i], Program: "kprobe_" + op},
			attach.Attachment{Kind: attach.Kretprobe, Target: fns[i], Program: "kretprobe_" + op})
	}
	return []attach.Hook{{
		Name:       fs + " operations",
		Candidates: []attach.Candidate{{Attach: fentry}, {Attach: kprobe}},
	}}
}

// SetTargets points the fentry and fexit programs of spec at fs's
// functions.
func SetTargets(spec *ebpf.CollectionSpec, fs string) {
	fns := Systems[fs]
	for i, op := range Ops {
		for _, p := range []string{"fentry_" + op, "fexit_" + op} {
			if ps, ok := spec.Programs[p]; ok {
				ps.AttachTo = fns[i]
			}
		}
	}
}

// FromName is the file system an alias names ("ext4dist" → "ext4"), or
// "" for the generic name.
func FromName(name, suffix string) string {
	fs := strings.TrimSuffix(name, suffix)
	if _, ok := Systems[fs]; ok && fs != name {
		return fs
	}
	return ""
}
