package loader

import (
	"fmt"
	"io"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"

	"github.com/probebox/probebox/core/attach"
)

// stashConst is the constant of bpfobj/include/stash.bpf.h: true keeps
// per-thread state in task storage, false in a hash keyed by thread id.
const stashConst = "stash_in_task"

// stashHelpers are what the task storage branch of stash.bpf.h calls.
var stashHelpers = []asm.BuiltinFunc{asm.FnTaskStorageGet, asm.FnTaskStorageDelete, asm.FnGetCurrentTaskBtf}

// taskStash says whether the kept programs of spec may keep per-thread
// state in task storage here, and if not why: the kernel must have task
// storage maps and let every one of these program types call the helpers.
// PROBEBOX_DISABLE=task_storage forces the hash (tests of the fallback).
func taskStash(spec *ebpf.CollectionSpec) (bool, string) {
	if attach.Disabled("task_storage") {
		return false, "disabled by " + attach.DisableEnv
	}
	if err := features.HaveMapType(ebpf.TaskStorage); err != nil {
		return false, "no task storage maps"
	}
	types := map[ebpf.ProgramType]bool{}
	for _, p := range spec.Programs {
		types[p.Type] = true
	}
	for pt := range types {
		if pt == ebpf.Tracing {
			// Not probeable by a bare program (it needs an attach
			// target); Load retries with the hash if the verifier
			// refuses.
			continue
		}
		for _, fn := range stashHelpers {
			if err := features.HaveProgramHelper(pt, fn); err != nil {
				return false, fmt.Sprintf("%v programs cannot call %v", pt, fn)
			}
		}
	}
	return true, ""
}

// setStash decides where spec keeps per-thread state, when it has a stash
// (stash.bpf.h), and replaces the maps the other mode does not use by
// one-entry hashes: the task storage maps where the kernel may have none,
// the thread-id hashes (preallocated, some of them) where they go unused.
func setStash(spec *ebpf.CollectionSpec, consts map[string]any, inTask bool, why string, verbose io.Writer, tool string) {
	if _, ok := spec.Variables[stashConst]; !ok {
		return
	}
	consts[stashConst] = inTask
	for name, m := range spec.Maps {
		if m.Type != ebpf.TaskStorage {
			continue
		}
		hash := spec.Maps[strings.TrimSuffix(name, "_task")]
		if inTask {
			if hash != nil && hash.Type == ebpf.Hash {
				hash.MaxEntries = 1
			}
			continue
		}
		m.Type, m.Flags, m.MaxEntries = ebpf.Hash, 0, 1
	}
	if verbose != nil {
		if inTask {
			fmt.Fprintf(verbose, "%s: per-thread state in task storage\n", tool)
		} else {
			fmt.Fprintf(verbose, "%s: per-thread state in a hash by thread id (%s)\n", tool, why)
		}
	}
}
