// Command target prints the run-time address of one of its functions and
// waits, so the symbol tests can name that address from outside.
package main

import (
	"fmt"
	"os"
	"reflect"
)

//go:noinline
func symsTargetFunction() int { return 42 }

func main() {
	fmt.Printf("%d\n", reflect.ValueOf(symsTargetFunction).Pointer())
	var b [1]byte
	os.Stdin.Read(b[:]) // until the test closes stdin
}
