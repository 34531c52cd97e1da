// Command target is traced by the uprobe tests: it calls its function a
// known number of times ("target N"), after a line on stdin with
// "target N wait", so that a test can attach to the running process first.
package main

import (
	"bufio"
	"os"
	"strconv"
)

//go:noinline
func probeboxTraced(n int) int { return n + 1 }

func main() {
	times, _ := strconv.Atoi(os.Args[1])
	if len(os.Args) > 2 && os.Args[2] == "wait" {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	sum := 0
	for i := 0; i < times; i++ {
		sum = probeboxTraced(sum)
	}
	os.Exit(sum - times) // 0
}
