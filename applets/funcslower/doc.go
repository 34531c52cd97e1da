// Package funcslower prints each call of the given functions that took
// longer than a threshold (-m ms, default 1; -u us), with its return value
// and (-a N) its first N arguments, as bcc's funcslower does: kernel
// functions (fentry/fexit for one function known to BTF, else
// kprobe/kretprobe) and user functions (uprobe/uretprobe: 'c:open',
// '/path/bin:func'), up to four patterns; -p and -c filter in the kernel;
// -T adds the time of day, -t the seconds since the start. Arguments and
// return values are read from the registers of the C calling convention
// (x86-64 and arm64), so they mean nothing for Go functions except Go's
// first result, which is in the same register as C's.
//
// -U and -K print the user and kernel stack where each slow call returned
// (its caller's), a frame a line indented eight spaces under the call's
// line, as capable -U/-K does (user stacks are the frame-pointer walk; a
// uretprobe has no kernel stack of interest, so -K is for kernel
// functions).
//
// --json prints one object per call: time (with -T), comm, pid, tid,
// lat_ns, func, retval, args (with -a), user_stack/kernel_stack (-U/-K).
//
// Output on the development machine, funcslower -u 200 c:malloc:
//
//	Tracing function calls slower than 200 us... Ctrl+C to quit.
//	COMM           PID    LAT(us)             RVAL FUNC
//	pbx\x1b[2J\r\x 15113   348.38          ca392a0 malloc
//	qemu-system-x8 2884   4126.34     7f822c083820 malloc
//	pbx\x1b[2J\r\x 15120   224.79         11afe2a0 malloc
//	bash           27469  15478.67     55b9cdffe480 malloc
package funcslower
