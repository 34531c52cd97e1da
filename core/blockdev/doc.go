// Package blockdev is what the block I/O tools (biosnoop, biolatency) need
// in user space: disk names for the kernel's dev_t numbers and back, and
// the names of a request's cmd_flags (operation and REQ_* bits), decoded
// with the running kernel's own numbering read from its BTF.
package blockdev
