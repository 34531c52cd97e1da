// Command target is traced by the uprobe tests: it calls its function a
// known number of times ("target N"); with "target N wait" it first waits
// for a line on stdin, so that a test can attach to the running process,
// and waits for another before it exits, while its symbols are read;
// "target N step" waits for a line before each call, and for the end of
// stdin before it exits.
package main

import (
	"bufio"
	"os"
	"strconv"
)

//go:noinline
func probeboxTraced(n int) int { return n + 1 }

// probeboxCounter is 1000+i during the i-th call, for uaddr() tests.
var probeboxCounter int64

func main() {
	times, _ := strconv.Atoi(os.Args[1])
	wait := len(os.Args) > 2 && os.Args[2] == "wait"
	step := len(os.Args) > 2 && os.Args[2] == "step"
	stdin := bufio.NewReader(os.Stdin)
	if wait {
		stdin.ReadString('\n')
	}
	sum := 0
	for i := 0; i < times; i++ {
		if step {
			stdin.ReadString('\n')
		}
		probeboxCounter = 1000 + int64(i)
		sum = probeboxTraced(sum)
	}
	if wait || step {
		stdin.ReadString('\n')
	}
	os.Exit(sum - times) // 0
}
