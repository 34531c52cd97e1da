package reliability

// What the reliability tests need to know about the memory tools (kept
// here rather than in the shared tables, so that branches adding tools do
// not edit the same lines).
func init() {
	// memleak's kernel mode takes a stack at every kmalloc, page and slab
	// allocation of the machine: sixteen of them at once on two busy CPUs
	// is a load test, not a reliability test, and on a busy machine its
	// stack map honestly reports the stacks it could not store. Only
	// allocations of 1 GiB or more (none) keep every hook attached and
	// running while recording nothing.
	observeArgs["memleak"] = []string{"-z", "1073741824"}
	summaryOnly["memleak"] = true
	summaryOnly["swapin"] = true
}
