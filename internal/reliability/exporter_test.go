package reliability

// The exporter loads every collector's programs before it serves: with
// twelve collectors, 16 instances at once (TestManyAtOnce) on two shared
// CPUs took longer than the minute an instance is given to start. Here it
// runs one collector of each mode the exporter has (a tally, a per-CPU
// histogram, a histogram in a hash, a counter array), which exercises
// its loading, serving and detaching the same way at a quarter of the
// load.
func init() {
	observeArgs["exporter"] = append(observeArgs["exporter"], "--collectors", "execsnoop,softirqs,runqlat,cachestat")
}
