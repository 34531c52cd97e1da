package multicall

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Version and Commit are set by `make` from git (-ldflags -X).
var (
	Version = "dev"
	Commit  = "unknown"
)

func writeVersion(w io.Writer) {
	ebpfVersion := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/cilium/ebpf" {
				ebpfVersion = d.Version
			}
		}
		if Commit == "unknown" {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					Commit = s.Value[:12]
				}
			}
		}
	}
	fmt.Fprintf(w, "probebox %s\ncommit %s\n%s %s/%s\ngithub.com/cilium/ebpf %s\n", Version, Commit, runtime.Version(), runtime.GOOS, runtime.GOARCH, ebpfVersion)
}
