// Package multicall is the busybox-style front door: it picks the applet
// from the name the binary was started as (a symlink such as execsnoop or
// execsnoop-bpfcc) or from the first argument, and handles probebox's own
// options (--list, --help, --install).
package multicall
