// Package memtrim gives back what loading BPF left behind, once a tool is
// set up and about to wait for events: garbage on the heap (decoded kernel
// BTF, object specs, whatever a tool dropped after load), and the pages of
// code that only ran during start-up (Code).
package memtrim

import "runtime/debug"

// All collects garbage, returns the free heap to the system and unmaps the
// executable's code and constant pages (Code). It costs a garbage
// collection of a small heap (about a millisecond); call it when setup is
// done, not per event.
func All() {
	debug.FreeOSMemory()
	Code()
}
