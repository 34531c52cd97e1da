package reliability

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// objects are the BPF programs, maps and links a process holds, by ID.
type objects struct {
	progs, maps, links []uint32
}

// bpfObjects reads them from /proc/PID/fdinfo, as bpftool's "pids" do.
func bpfObjects(t *testing.T, pid int) objects {
	t.Helper()
	o, err := readBPFObjects(pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.progs) == 0 {
		t.Fatalf("process %d holds no BPF program while tracing", pid)
	}
	return o
}

// readBPFObjects lists the BPF objects pid holds now (none while it is
// between its hook probes, detached in the background, and its load).
func readBPFObjects(pid int) (objects, error) {
	dir := "/proc/" + strconv.Itoa(pid) + "/fdinfo"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return objects{}, err
	}
	var o objects
	for _, e := range ents {
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			k, v, ok := strings.Cut(s.Text(), ":")
			if !ok {
				continue
			}
			id, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32)
			if err != nil {
				continue
			}
			switch k {
			case "prog_id":
				o.progs = append(o.progs, uint32(id))
			case "map_id":
				o.maps = append(o.maps, uint32(id))
			case "link_id":
				o.links = append(o.links, uint32(id))
			}
		}
		f.Close()
	}
	return o, nil
}

// live enumerates the kernel's BPF objects with the GET_NEXT_ID commands
// (what `bpftool prog/map/link list` does) and returns those of o still there.
func (o objects) live(t *testing.T) objects {
	t.Helper()
	var left objects
	for id := ebpf.ProgramID(0); ; {
		next, err := ebpf.ProgramGetNextID(id)
		if errors.Is(err, os.ErrNotExist) {
			break
		} else if err != nil {
			t.Fatalf("listing programs: %v", err)
		}
		if slices.Contains(o.progs, uint32(next)) {
			left.progs = append(left.progs, uint32(next))
		}
		id = next
	}
	for id := ebpf.MapID(0); ; {
		next, err := ebpf.MapGetNextID(id)
		if errors.Is(err, os.ErrNotExist) {
			break
		} else if err != nil {
			t.Fatalf("listing maps: %v", err)
		}
		if slices.Contains(o.maps, uint32(next)) {
			left.maps = append(left.maps, uint32(next))
		}
		id = next
	}
	// Link IDs only: opening each link, as link.Iterator does, fails on
	// one that another process is tearing down at that moment.
	for id := uint32(0); ; {
		next, err := linkGetNextID(id)
		if errors.Is(err, unix.ENOENT) {
			break
		} else if err != nil {
			t.Fatalf("listing links: %v", err)
		}
		if slices.Contains(o.links, next) {
			left.links = append(left.links, next)
		}
		id = next
	}
	return left
}

// linkGetNextID is BPF_LINK_GET_NEXT_ID.
func linkGetNextID(start uint32) (uint32, error) {
	attr := struct{ start, next, flags uint32 }{start: start}
	_, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_LINK_GET_NEXT_ID, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
	if errno != 0 {
		return 0, errno
	}
	return attr.next, nil
}

func (o objects) empty() bool { return len(o.progs)+len(o.maps)+len(o.links) == 0 }

// waitGone waits for the kernel to free o (it does so once the last file
// descriptor closes; freeing maps is deferred to a work queue).
func (o objects) waitGone(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		left := o.live(t)
		if left.empty() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still in the kernel after exit: programs %v, maps %v, links %v", left.progs, left.maps, left.links)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// registered snapshots what would outlive a process: dynamic tracefs
// events and pinned objects.
func registered(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, f := range []string{"/sys/kernel/tracing/kprobe_events", "/sys/kernel/tracing/uprobe_events", "/sys/kernel/debug/tracing/kprobe_events", "/sys/kernel/debug/tracing/uprobe_events"} {
		if b, err := os.ReadFile(f); err == nil {
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if l != "" {
					out = append(out, f+": "+l)
				}
			}
		}
	}
	filepath.WalkDir("/sys/fs/bpf", func(p string, d os.DirEntry, err error) error {
		if err == nil && p != "/sys/fs/bpf" {
			out = append(out, "pinned: "+p)
		}
		return nil
	})
	return out
}

func added(before, after []string) []string {
	var n []string
	for _, a := range after {
		if !slices.Contains(before, a) {
			n = append(n, a)
		}
	}
	return n
}

// kill -9 in the middle of tracing: the kernel must free every program,
// map and link we had, no tracefs event stays registered, and nothing
// was ever pinned.
func TestKill9LeavesNothing(t *testing.T) {
	eachTracer(t, func(t *testing.T, name string) {
		before := registered(t)
		p := start(t, name, observeArgs[name]...)
		if !p.ready(t) {
			t.Fatal("exited before tracing")
		}
		runHelper(t)
		ids := bpfObjects(t, p.cmd.Process.Pid)
		if pinned := added(before, registered(t)); len(pinned) > 0 {
			t.Errorf("registered or pinned while running: %v", pinned)
		}
		p.cmd.Process.Kill()
		<-p.done
		ids.waitGone(t)
		if left := added(before, registered(t)); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
}
