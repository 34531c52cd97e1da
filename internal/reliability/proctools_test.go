package reliability

// What the reliability tests need to know about the process tools that
// trace a program rather than the kernel (kept here rather than in the
// shared tables, so that branches adding tools do not edit the same
// lines): bashreadline needs bash installed, sslsniff an OpenSSL or GnuTLS
// library; where the machine has none (the kernel matrix's busybox
// guests) they refuse in one line, which refusedHere checks instead.
func init() {
	machineDependent["bashreadline"] = true
	machineDependent["sslsniff"] = true
}
