// Command target is functest's helper built on its own (go build keeps
// the symbol table that `go test` strips from test binaries): the process
// the function tools' live tests probe.
package main

import (
	"os"

	"github.com/probebox/probebox/internal/functest"
)

func main() { os.Exit(functest.Run(os.Getenv("PBX_FUNCTEST"), os.Args[1:])) }
