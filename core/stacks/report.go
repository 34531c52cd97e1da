package stacks

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/syms"
)

// Output is where and how a stack tool writes what it counted.
type Output struct {
	Tool           string
	Stdout, Stderr io.Writer
	Format         Format
	// Text prints bcc's layout (or Folded lines) on stdout; the tools turn
	// it off when only --pprof or --svg was asked for.
	Text, Folded, JSON bool
	// ValueName is the JSON name of a sample's value ("samples", "us").
	ValueName string
	Pprof     string // --pprof FILE
	PprofMeta PprofMeta
	SVG       string // --svg FILE
	Flame     FlameOptions
}

// Write writes the samples (one per thread and stack pair) every way
// asked; dropped are what full maps refused, for --json.
func (o Output) Write(samples []Sample, dropped []loader.Dropped) error {
	merged := o.Format.Merge(samples)
	SortAscending(merged)
	var b bytes.Buffer
	switch {
	case o.JSON:
		o.appendJSON(&b, merged, dropped)
	case o.Text && o.Folded:
		for _, s := range merged {
			o.Format.AppendFolded(&b, s)
		}
	case o.Text:
		for _, s := range merged {
			o.Format.AppendText(&b, s)
		}
	}
	if _, err := o.Stdout.Write(b.Bytes()); err != nil {
		return err
	}
	if o.Pprof != "" {
		if err := WritePprof(o.Pprof, Pprof(samples, o.PprofMeta)); err != nil {
			return err
		}
		fmt.Fprintf(o.Stderr, "%s: wrote %d stacks to %s (pprof)\n", o.Tool, len(samples), o.Pprof)
	}
	if o.SVG != "" {
		if err := o.writeSVG(merged); err != nil {
			return err
		}
		fmt.Fprintf(o.Stderr, "%s: wrote %d stacks to %s (flame graph)\n", o.Tool, len(merged), o.SVG)
	}
	return nil
}

func (o Output) writeSVG(samples []Sample) error {
	fs := make([]FlameStack, 0, len(samples))
	ff := o.Format
	ff.Annotate = false // colors tell kernel frames apart
	for _, s := range samples {
		frames := ff.Folded(s)
		kernel := make([]bool, len(frames))
		// The last frames are the kernel's (innermost last when folded).
		nk := len(s.Kernel)
		if s.KernelMissed {
			nk++
		}
		if s.NoKernel {
			nk = 0
		}
		for i := len(frames) - nk; i < len(frames); i++ {
			kernel[i] = true
		}
		fs = append(fs, FlameStack{Frames: frames, Kernel: kernel, Value: s.Value})
	}
	f, err := os.Create(o.SVG)
	if err != nil {
		return err
	}
	if err := WriteFlameGraph(f, fs, o.Flame); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", o.SVG, err)
	}
	return f.Close()
}

// appendJSON writes one object: {"stacks": [{"pid", "comm", VALUE,
// "kernel": [...], "user": [...], "kernel_missed", "user_missed"}],
// "not_counted": {...}}, frames innermost first.
func (o Output) appendJSON(b *bytes.Buffer, samples []Sample, dropped []loader.Dropped) {
	var j output.JSONLine
	b.WriteString(`{"stacks":[`)
	for i, s := range samples {
		if i > 0 {
			b.WriteByte(',')
		}
		j.Reset()
		j.Uint("pid", uint64(s.PID))
		j.Str("comm", []byte(s.Comm))
		j.Uint(o.ValueName, s.Value)
		if !s.NoKernel {
			j.StrList("kernel", FrameNames(s.Kernel, o.Format.Frame))
			if s.KernelMissed {
				j.Bool("kernel_missed", true)
			}
		}
		if !s.NoUser {
			j.StrList("user", FrameNames(s.User, o.Format.Frame))
			if s.UserMissed {
				j.Bool("user_missed", true)
			}
		}
		line := j.Bytes()
		b.Write(bytes.TrimRight(line, "\n"))
	}
	b.WriteString("]")
	if len(dropped) > 0 {
		b.WriteString(`,"not_counted":`)
		b.Write(loader.AppendJSON(nil, dropped))
	}
	b.WriteString("}\n")
}

// FrameNames are frames as --json lists them (unescaped: the JSON writer
// escapes).
func FrameNames(fs []syms.Frame, ff syms.FrameFormat) [][]byte {
	out := make([][]byte, len(fs))
	for i, f := range fs {
		out[i] = []byte(f.Format(ff))
	}
	return out
}

// CheckOutFile says, before anything is traced, why path could not be
// written: its folder is missing, or it is a folder. "" is no file.
func CheckOutFile(path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("is a directory")
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("no folder %s", dir)
	} else if !st.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}

// StackMap is the name of the stack tools' stack map (stacks.bpf.h).
const StackMap = "stack_traces"

// Report writes what full maps refused on stderr: loader.Report's line
// for the counts maps, and for the stack map a line saying what a lost
// stack looks like, since such samples are still counted.
func Report(w io.Writer, tool string, dropped []loader.Dropped) {
	var rest []loader.Dropped
	for _, d := range dropped {
		if d.Map != StackMap {
			rest = append(rest, d)
			continue
		}
		if d.N > 0 {
			fmt.Fprintf(w, "%s: %d stack traces could not be stored (hash collisions or a full %s map of %d entries); they show as %s or %s (raise --stack-storage-size)\n",
				tool, d.N, StackMap, d.Keys, MissedKernel, MissedUser)
		}
	}
	loader.Report(w, tool, rest)
}
