package reliability

// What the reliability tests need to know about the CPU, interrupt and
// function tools (kept here rather than in the shared tables, so that
// branches adding tools do not edit the same lines).
func init() {
	observeArgs["funccount"] = []string{"t:syscalls:sys_enter_getppid"}
	observeArgs["funclatency"] = []string{"c:malloc"}
	observeArgs["funcinterval"] = []string{"t:syscalls:sys_enter_getppid"}
	observeArgs["argdist"] = []string{"-C", "t:syscalls:sys_enter_getppid():int:$PID"}
	observeArgs["funcslower"] = []string{"-u", "0", "c:malloc"}
	for _, name := range []string{"cpudist", "runqlen", "hardirqs", "softirqs", "funccount", "funclatency", "funcinterval", "argdist", "cpufreq", "llcstat"} {
		summaryOnly[name] = true
	}
	machineDependent["cpufreq"] = true
	machineDependent["llcstat"] = true
}
