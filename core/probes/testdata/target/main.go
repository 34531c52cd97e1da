// Command target is a binary the probes tests build and read symbols from.
package main

//go:noinline
func probeboxTargetFunction(n int) int { return n * 2 }

func main() { println(probeboxTargetFunction(21)) }
