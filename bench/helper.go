package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

// helperEnv makes the bench binary (or its test binary) act as a workload
// process instead: the bench re-executes itself, so the workloads need no
// separate build step and no compiler on the machine.
const helperEnv = "PROBEBOX_BENCH_HELPER"

// helperMain runs the helper when the environment asks for it and exits.
func helperMain() {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		return
	}
	os.Exit(runHelper(mode, os.Args[1:]))
}

// runHelper waits for one byte on stdin (the tracer is attached), runs the
// workload and prints "ns=<elapsed> cpu=<its CPU time, ns> n=<produced>
// csw=<context switches>". CPU time is the robust figure on a busy
// machine: BPF programs run in the traced process's context and are
// charged to it, while waiting for a CPU is not.
func runHelper(mode string, args []string) int {
	if len(args) < 1 {
		fmt.Fprintln(os.Stderr, "helper: want COUNT [PATH]")
		return 2
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		fmt.Fprintln(os.Stderr, "helper: bad count", args[0])
		return 2
	}
	var run func() (int, error)
	switch mode {
	case "openloop":
		if len(args) < 2 {
			return 2
		}
		rate, limitMs := 0, 0
		if len(args) > 2 {
			rate, _ = strconv.Atoi(args[2])
		}
		if len(args) > 3 {
			limitMs, _ = strconv.Atoi(args[3])
		}
		run = openLoop(n, args[1], rate, time.Duration(limitMs)*time.Millisecond)
	case "pingpong":
		run = pingPong(n)
	case "bioread":
		if len(args) != 2 {
			return 2
		}
		run = bioRead(n, args[1])
	case "connloop":
		run = connLoop(n)
	case "readloop":
		if len(args) != 2 {
			return 2
		}
		run = readLoop(n, args[1])
	default:
		fmt.Fprintln(os.Stderr, "helper: unknown mode", mode)
		return 2
	}
	var go1 [1]byte
	if _, err := os.Stdin.Read(go1[:]); err != nil {
		return 1
	}
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	produced, err := run()
	elapsed := time.Since(start)
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	csw := (after.Nvcsw + after.Nivcsw) - (before.Nvcsw + before.Nivcsw)
	cpu := cpuTime(after) - cpuTime(before)
	fmt.Printf("ns=%d cpu=%d n=%d csw=%d\n", elapsed.Nanoseconds(), cpu, produced, csw)
	return 0
}

// openLoop: openat(path) and close, n times, with raw system calls so
// that the Go scheduler adds nothing per call; with rate > 0, paced to
// that many calls per second; with limit > 0, ending after that long even
// if fewer than n were made. Every call is counted as produced, failed
// or not (opensnoop reports failures too).
func openLoop(n int, path string, rate int, limit time.Duration) func() (int, error) {
	p, err := syscall.BytePtrFromString(path)
	return func() (int, error) {
		if err != nil {
			return 0, err
		}
		dirfd := -100 // AT_FDCWD
		produced := 0
		start := time.Now()
		for i := 0; i < n; i++ {
			if limit > 0 && i%1024 == 0 && time.Since(start) >= limit {
				break
			}
			if rate > 0 {
				due := time.Duration(int64(i) * int64(time.Second) / int64(rate))
				for time.Since(start) < due {
				}
			}
			fd, _, e := syscall.RawSyscall6(syscall.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)), syscall.O_RDONLY|syscall.O_CLOEXEC, 0, 0, 0)
			produced++
			if e == 0 {
				syscall.RawSyscall(syscall.SYS_CLOSE, fd, 0, 0)
			}
		}
		return produced, nil
	}
}

// pingPong: two OS threads bounce a byte through two pipes n times; every
// round trip is two wake-ups and at least two context switches, which is
// what runqlat traces.
func pingPong(n int) func() (int, error) {
	return func() (int, error) {
		var a, b [2]int
		if err := syscall.Pipe(a[:]); err != nil {
			return 0, err
		}
		if err := syscall.Pipe(b[:]); err != nil {
			return 0, err
		}
		done := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			var buf [1]byte
			for i := 0; i < n; i++ {
				rawRead(a[0], buf[:])
				rawWrite(b[1], buf[:])
			}
			close(done)
		}()
		runtime.LockOSThread()
		var buf [1]byte
		for i := 0; i < n; i++ {
			rawWrite(a[1], buf[:])
			rawRead(b[0], buf[:])
		}
		<-done
		return n, nil
	}
}

// bioRead: n direct 4 KiB reads from a block device, spread over it, so
// that every read is one block request (no page cache).
func bioRead(n int, dev string) func() (int, error) {
	return func() (int, error) {
		fd, err := syscall.Open(dev, syscall.O_RDONLY|syscall.O_DIRECT|syscall.O_CLOEXEC, 0)
		if err != nil {
			return 0, err
		}
		defer syscall.Close(fd)
		size, err := syscall.Seek(fd, 0, 2)
		if err != nil || size < 4096 {
			return 0, fmt.Errorf("%s: size %d: %v", dev, size, err)
		}
		// O_DIRECT wants an aligned buffer: an anonymous mapping is.
		buf, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			return 0, err
		}
		defer syscall.Munmap(buf)
		blocks := size / 4096
		for i := 0; i < n; i++ {
			off := (int64(i) * 7919 % blocks) * 4096
			if _, err := syscall.Pread(fd, buf, off); err != nil {
				return i, err
			}
		}
		return n, nil
	}
}

func rawRead(fd int, b []byte) {
	syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
}

func rawWrite(fd int, b []byte) {
	syscall.RawSyscall(syscall.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
}

func cpuTime(r syscall.Rusage) int64 {
	return r.Utime.Nano() + r.Stime.Nano()
}
