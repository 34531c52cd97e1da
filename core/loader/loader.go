package loader

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/events"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/memtrim"
	"github.com/probebox/probebox/core/privs"
)

// Request says what a tool wants loaded.
type Request struct {
	Tool   string
	Spec   func() (*ebpf.CollectionSpec, error) // a bpf2go LoadXxx function
	Hooks  []attach.Hook
	Consts map[string]any // const volatile globals, by name
	// BTF is the --btf flag's value; empty means resolve the usual way.
	BTF string
	// Cgroup is a cgroup v2 directory to restrict tracing to (-c/--cgroup).
	Cgroup string
	// Verbose, when set, receives the hook choices (-v).
	Verbose io.Writer
	// Programs are loaded besides the hooks' programs, for the tool to
	// attach itself (profile's perf events, stackcount's uprobes).
	Programs []string
	// RingBytes sizes the event ring buffer (0: the object's 1 MiB), for a
	// tool whose events come at a bounded rate (RingPerCPU);
	// PROBEBOX_BUFFER_BYTES overrides it.
	RingBytes int
	// Kernel defaults to the running kernel; tests may pass a fake.
	Kernel attach.Kernel
}

// Object is a loaded and attached tool.
type Object struct {
	Coll    *ebpf.Collection
	Plan    attach.Plan
	Ringbuf bool // events map is a ring buffer (else a perf event array)
	// PerCPUBytes is the perf buffer size per CPU (0: the reader's default).
	PerCPUBytes int
	// StashInTask: the per-thread state of stash.bpf.h is in task
	// storage (else in its hash by thread id).
	StashInTask bool
	links       []link.Link
	detachMu    sync.Mutex
}

// Load does everything from privilege check to attached programs. Once
// attached, the kernel BTF and the object's spec are dropped and their
// memory is given back to the system (ReleaseMemory): a tool traces with
// what it holds then.
func Load(req Request) (*Object, error) {
	obj, err := load(req)
	ReleaseMemory()
	if err == nil {
		// --stats and --max-cpu (core/cost) measure from here; --max-cpu
		// detaches through obj.detach.
		cost.Track(obj.Coll.Programs, obj.detach)
	}
	return obj, err
}

// ReleaseMemory drops the decoded kernel BTF (kbtf's shared cache),
// returns the memory the load used to the system and unmaps the code the
// load ran (memtrim.All). Load calls it; a tool that loads BPF by other
// means calls it once attached.
func ReleaseMemory() {
	kbtf.Release()
	memtrim.All()
	// The probes' links still closing in the background (attach) run
	// library code after the trim and fault its pages back, 2 MiB of
	// tcpconnect's: unmap again once they are closed.
	go func() {
		attach.WaitAllDetached()
		memtrim.Code()
	}()
}

// ReleaseCode unmaps the executable's read-only pages (memtrim.Code), for
// tools that keep their heap as it is (trace).
func ReleaseCode() { memtrim.Code() }

func load(req Request) (*Object, error) {
	// What the user named must exist before anything else is checked, so
	// a typo is a usage error (exit 2) whoever runs the tool.
	var cgroupDir *os.File
	if req.Cgroup != "" {
		var err error
		if cgroupDir, err = openCgroup(req.Cgroup); err != nil {
			return nil, err
		}
		defer cgroupDir.Close()
	}
	if req.BTF != "" {
		if _, err := os.Stat(req.BTF); err != nil {
			return nil, applet.Usagef("--btf %s: %v", req.BTF, errors.Unwrap(err))
		}
	}
	if err := privs.Check(); err != nil {
		return nil, err
	}
	// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK.
	_ = rlimit.RemoveMemlock()

	res, err := kbtf.Default(req.BTF).Resolve()
	if err != nil {
		return nil, err
	}
	kernel := req.Kernel
	if kernel == nil {
		kernel = attach.Running
	}
	// A hook that probed well can still fail to attach for this tool's
	// program (a verifier or attach-time refusal): take the next candidate
	// and say so with -v, instead of failing the tool.
	if req.Verbose != nil {
		fmt.Fprintf(req.Verbose, "%s: kernel BTF from %s (%s)\n", req.Tool, res.Path, res.Source)
	}
	// The probe programs are not needed once the hooks are decided.
	defer attach.ReleaseProbes()
	failed := map[string]error{}
	for {
		obj, err := loadPlan(req, attach.Without(kernel, failed), res, cgroupDir)
		var ae *attachError
		if !errors.As(err, &ae) || len(failed) >= maxAttachRetries {
			return obj, err
		}
		failed[ae.at.String()] = ae.err
		if req.Verbose != nil {
			fmt.Fprintf(req.Verbose, "%s: %s: attaching %s failed (%v); trying the next candidate\n", req.Tool, ae.hook, ae.at, ae.err)
		}
	}
}

// maxAttachRetries bounds the fallbacks after failed attaches.
const maxAttachRetries = 8

// loadPlan chooses the hooks on kernel, loads the programs they need and
// attaches them.
func loadPlan(req Request, kernel attach.Kernel, res *kbtf.Result, cgroupDir *os.File) (*Object, error) {
	plan, err := attach.Choose(req.Hooks, kernel)
	if err != nil {
		return nil, err
	}
	if req.Verbose != nil {
		plan.Explain(req.Verbose, req.Tool)
	}

	ringbuf := useRingbuf()
	bufBytes, err := bufferBytes()
	if err != nil {
		return nil, err
	}
	if req.Verbose != nil {
		size := ""
		if ringbuf && bufBytes == 0 && req.RingBytes > 0 {
			size = fmt.Sprintf(" of %d KiB", req.RingBytes>>10)
		}
		fmt.Fprintf(req.Verbose, "%s: events through %s%s\n", req.Tool, map[bool]string{true: "BPF ring buffer", false: "perf buffer"}[ringbuf], size)
	}
	inTask, why := true, ""
	coll, err := loadCollection(req, plan, res, cgroupDir, ringbuf, bufBytes, &inTask, &why)
	var ve *ebpf.VerifierError
	if err != nil && inTask && errors.As(err, &ve) {
		// A program type the probe could not ask (tp_btf, fentry) may
		// still refuse task storage: keep the state in the hash.
		inTask, why = false, "the verifier refused task storage: "+lastLines(ve.Log, 1)
		coll, err = loadCollection(req, plan, res, cgroupDir, ringbuf, bufBytes, &inTask, &why)
	}
	if err != nil {
		return nil, err
	}
	obj := &Object{Coll: coll, Plan: plan, Ringbuf: ringbuf, PerCPUBytes: bufBytes, StashInTask: inTask}
	if cgroupDir != nil {
		if err := coll.Maps["cgroup_filter"].Put(uint32(0), uint32(cgroupDir.Fd())); err != nil {
			obj.Close()
			return nil, fmt.Errorf("setting the cgroup filter: %w", err)
		}
	}
	if err := obj.attachAll(); err != nil {
		obj.Close()
		return nil, err
	}
	return obj, nil
}

// loadCollection prepares the tool's spec for the plan and loads it. With
// *inTask true it probes whether a stash (stash.bpf.h) can live in task
// storage and records the answer in *inTask and *why; false forces the hash.
func loadCollection(req Request, plan attach.Plan, res *kbtf.Result, cgroupDir *os.File, ringbuf bool, bufBytes int, inTask *bool, why *string) (*ebpf.Collection, error) {
	spec, err := req.Spec()
	if err != nil {
		return nil, fmt.Errorf("reading the embedded BPF object: %w", err)
	}
	keepPrograms(spec, append(plan.Programs(), req.Programs...))
	if ringbuf {
		if bufBytes == 0 {
			bufBytes = req.RingBytes
		}
		sizeRing(spec, bufBytes)
	} else {
		toPerfArray(spec)
	}
	consts := map[string]any{}
	for k, v := range req.Consts {
		consts[k] = v
	}
	if _, ok := spec.Variables["use_ringbuf"]; ok {
		consts["use_ringbuf"] = ringbuf
	}
	if cgroupDir != nil {
		consts["filter_cgroup"] = true
	}
	if _, ok := spec.Variables[stashConst]; ok {
		if *inTask {
			*inTask, *why = taskStash(spec)
		}
		setStash(spec, consts, *inTask, *why, req.Verbose, req.Tool)
	} else {
		*inTask = false
	}
	if err := setConsts(spec, consts); err != nil {
		return nil, err
	}

	opts := ebpf.CollectionOptions{Cache: kbtf.SharedCache()}
	if !res.IsRunningKernel {
		opts.Programs.KernelTypes = res.Spec
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, opts)
	if err != nil {
		var ve *ebpf.VerifierError
		if *inTask && errors.As(err, &ve) {
			return nil, err // loadPlan retries with the hash
		}
		return nil, explainLoad(err)
	}
	return coll, nil
}

// Map returns a map of the collection by name, or nil.
func (o *Object) Map(name string) *ebpf.Map { return o.Coll.Maps[name] }

// Close detaches every program and frees the collection.
func (o *Object) Close() error {
	o.detach()
	if o.Coll != nil {
		o.Coll.Close()
	}
	return nil
}

// detach closes the links, once; --max-cpu calls it from its own
// goroutine while the tool still reads its maps.
func (o *Object) detach() {
	o.detachMu.Lock()
	defer o.detachMu.Unlock()
	closeAll(o.links)
	o.links = nil
}

// closeAll closes links at once: each close of a tracepoint's perf event
// waits out an RCU grace period in the kernel, so a tool on fifty syscall
// tracepoints took seconds to detach one by one; concurrent closes share
// the grace periods.
func closeAll(links []link.Link) {
	var wg sync.WaitGroup
	for _, l := range links {
		wg.Add(1)
		go func() { defer wg.Done(); l.Close() }()
	}
	wg.Wait()
}

func keepPrograms(spec *ebpf.CollectionSpec, keep []string) {
	wanted := map[string]bool{}
	for _, p := range keep {
		wanted[p] = true
	}
	for name := range spec.Programs {
		if !wanted[name] {
			delete(spec.Programs, name)
		}
	}
}

func useRingbuf() bool {
	return !attach.Disabled("ringbuf") && features.HaveMapType(ebpf.RingBuf) == nil
}

// toPerfArray turns the shared `events` ring buffer into a perf event array
// for kernels without ring buffers (before 5.8).
func toPerfArray(spec *ebpf.CollectionSpec) {
	if m, ok := spec.Maps["events"]; ok {
		m.Type = ebpf.PerfEventArray
		m.KeySize, m.ValueSize, m.MaxEntries = 4, 4, 0
	}
}

func setConsts(spec *ebpf.CollectionSpec, consts map[string]any) error {
	for name, v := range consts {
		vs, ok := spec.Variables[name]
		if !ok {
			return fmt.Errorf("internal: BPF object has no constant %q", name)
		}
		if err := vs.Set(v); err != nil {
			return fmt.Errorf("internal: setting BPF constant %q: %w", name, err)
		}
	}
	return nil
}

func openCgroup(path string) (*os.File, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return nil, applet.Usagef("cgroup %s: %v", path, err)
	}
	if st.Type != unix.CGROUP2_SUPER_MAGIC {
		return nil, applet.Usagef("cgroup %s is not a cgroup v2 directory (cgroup2 is mounted at /sys/fs/cgroup or /sys/fs/cgroup/unified)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, applet.Usagef("cgroup %s: %v", path, err)
	}
	return f, nil
}

func explainLoad(err error) error {
	var ve *ebpf.VerifierError
	switch {
	case errors.Is(err, unix.EPERM):
		return fmt.Errorf("the kernel refused to load BPF programs (%v): run as root, or with CAP_BPF and CAP_PERFMON; check kernel.unprivileged_bpf_disabled and lockdown", firstLine(err))
	case errors.As(err, &ve):
		return fmt.Errorf("the kernel's BPF verifier rejected a program: %s", lastLines(ve.Log, 3))
	}
	return fmt.Errorf("loading BPF programs: %w", err)
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func lastLines(log []string, n int) string {
	if len(log) > n {
		log = log[len(log)-n:]
	}
	return strings.Join(log, " | ")
}

// EventSource describes the tool's event buffer for events.Open.
func (o *Object) EventSource() events.Source {
	return events.Source{Events: o.Map("events"), Lost: o.Map("lost_events"), Ringbuf: o.Ringbuf, PerCPUBytes: o.PerCPUBytes}
}
