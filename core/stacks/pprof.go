package stacks

import (
	"fmt"

	"os"
	"time"

	"github.com/google/pprof/profile"

	"github.com/probebox/probebox/core/syms"
)

// PprofMeta describes what a profile's values are.
type PprofMeta struct {
	// SampleType and Unit name the value ("samples"/"count",
	// "offcpu"/"microseconds").
	SampleType, Unit string
	// Period is one sample's worth of PeriodType/PeriodUnit ("cpu",
	// "nanoseconds", 1e9/HZ), 0 when values are not samples.
	PeriodType, PeriodUnit string
	Period                 int64
	Start                  time.Time
	Duration               time.Duration
}

// Pprof builds a pprof profile of the samples: kernel frames (in a
// "[kernel.kallsyms]" mapping) under user frames (each in its file's
// mapping), leaf first as pprof orders locations, with pid, tid and comm
// labels; `go tool pprof -http` and Grafana Pyroscope open it.
func Pprof(samples []Sample, meta PprofMeta) *profile.Profile {
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: meta.SampleType, Unit: meta.Unit}},
		TimeNanos:     meta.Start.UnixNano(),
		DurationNanos: int64(meta.Duration),
	}
	if meta.Period > 0 {
		// As Go's own CPU profiles: samples, and the CPU time they stand for.
		p.PeriodType = &profile.ValueType{Type: meta.PeriodType, Unit: meta.PeriodUnit}
		p.Period = meta.Period
		p.SampleType = append(p.SampleType, p.PeriodType)
	}
	b := pprofBuilder{p: p, funcs: map[string]*profile.Function{}, locs: map[locKey]*profile.Location{}, maps: map[string]*profile.Mapping{}}
	for _, s := range samples {
		ps := &profile.Sample{
			Value:    []int64{int64(s.Value)},
			Label:    map[string][]string{"comm": {s.Comm}},
			NumLabel: map[string][]int64{"pid": {int64(s.PID)}, "tid": {int64(s.TID)}},
		}
		if meta.Period > 0 {
			ps.Value = append(ps.Value, int64(s.Value)*meta.Period)
		}
		if s.KernelMissed {
			ps.Location = append(ps.Location, b.location(0, syms.Frame{Name: MissedKernel, Kernel: true}))
		}
		for _, f := range s.Kernel {
			ps.Location = append(ps.Location, b.location(0, f))
		}
		if s.UserMissed {
			ps.Location = append(ps.Location, b.location(s.PID, syms.Frame{Name: MissedUser}))
		}
		for _, f := range s.User {
			ps.Location = append(ps.Location, b.location(s.PID, f))
		}
		// The process as the root frame, as in folded output and flame
		// graphs: a system-wide profile splits by process first.
		ps.Location = append(ps.Location, b.location(s.PID, syms.Frame{Name: s.Comm}))
		p.Sample = append(p.Sample, ps)
	}
	return p
}

type locKey struct {
	pid  uint32 // 0 for kernel frames
	addr uint64
	name string // frames without an address (missed stacks, the process)
}

type pprofBuilder struct {
	p     *profile.Profile
	funcs map[string]*profile.Function
	locs  map[locKey]*profile.Location
	maps  map[string]*profile.Mapping
}

func (b *pprofBuilder) location(pid uint32, f syms.Frame) *profile.Location {
	k := locKey{pid: pid, addr: f.Addr}
	if f.Addr == 0 || !f.Known {
		k.name = f.Name
	}
	if f.Kernel {
		k.pid = 0
	}
	if l, ok := b.locs[k]; ok {
		return l
	}
	l := &profile.Location{ID: uint64(len(b.p.Location) + 1), Address: f.Addr, Mapping: b.mapping(f)}
	if !f.Known && f.Addr != 0 {
		// Unknown frames keep their address in the name, so two of them
		// are not merged into one.
		l.Line = []profile.Line{{Function: b.function(fmt.Sprintf("%s 0x%x", f.Name, f.Addr), "")}}
	} else {
		l.Line = []profile.Line{{Function: b.function(f.Name, f.Module)}}
	}
	b.locs[k] = l
	b.p.Location = append(b.p.Location, l)
	return l
}

func (b *pprofBuilder) function(name, file string) *profile.Function {
	if fn, ok := b.funcs[name+"\x00"+file]; ok {
		return fn
	}
	fn := &profile.Function{ID: uint64(len(b.p.Function) + 1), Name: name, SystemName: name, Filename: file}
	b.funcs[name+"\x00"+file] = fn
	b.p.Function = append(b.p.Function, fn)
	return fn
}

func (b *pprofBuilder) mapping(f syms.Frame) *profile.Mapping {
	file := f.Module
	if f.Kernel {
		file = "[kernel.kallsyms]"
		if f.Module != "" {
			file = "[" + f.Module + "]"
		}
	}
	if file == "" {
		return nil
	}
	if m, ok := b.maps[file]; ok {
		return m
	}
	m := &profile.Mapping{ID: uint64(len(b.p.Mapping) + 1), File: file, HasFunctions: true}
	b.maps[file] = m
	b.p.Mapping = append(b.p.Mapping, m)
	return m
}

// WritePprof writes the profile gzipped to path.
func WritePprof(path string, p *profile.Profile) error {
	if err := p.CheckValid(); err != nil {
		return fmt.Errorf("internal: invalid pprof profile: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := p.Write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
