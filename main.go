// Command probebox is a multi-call binary of eBPF observability tools.
// It only dispatches; the tools live in applets/ and what they share in core/.
package main

import (
	"os"

	_ "github.com/probebox/probebox/applets"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/multicall"
)

func main() {
	os.Exit(multicall.Main(os.Args, applet.Streams{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
