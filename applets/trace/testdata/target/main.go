// Command target is traced by the uprobe test: it calls its function a
// known number of times.
package main

import (
	"os"
	"strconv"
)

//go:noinline
func probeboxTraced(n int) int { return n + 1 }

func main() {
	times, _ := strconv.Atoi(os.Args[1])
	sum := 0
	for i := 0; i < times; i++ {
		sum = probeboxTraced(sum)
	}
	os.Exit(sum - times) // 0
}
