package applet

import "io"

// Flags every tool offers the same way.
var (
	JSONFlag    = Flag{Long: "json", Usage: "print one JSON object per line"}
	VerboseFlag = Flag{Short: "v", Long: "verbose", Usage: "print which kernel hooks are used, and why"}
	BTFFlag     = Flag{Long: "btf", Kind: String, Meta: "FILE", Usage: "kernel BTF file, for kernels without /sys/kernel/btf/vmlinux"}
)

// VerboseWriter is Stderr when -v/--verbose was given, else nil.
func (inv *Invocation) VerboseWriter() io.Writer {
	if inv.Bool(VerboseFlag.Long) {
		return inv.Stderr
	}
	return nil
}
