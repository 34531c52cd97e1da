// Package netfmt decodes the socket addresses that probebox's TCP tools
// (tcpconnect, tcpaccept, ...) copy out of the kernel, and parses their
// port-list flags.
//
// The BPF side (bpfobj/include/tcpsock.bpf.h) stores an address as 16
// bytes in network byte order, an IPv4 address in the first 4, next to an
// address family (AF_INET or AF_INET6).
package netfmt

import (
	"net/netip"
	"strconv"
	"strings"
)

// Address families as the kernel numbers them (the same on every
// architecture Linux runs on).
const (
	AFInet  = 2
	AFInet6 = 10
)

// Addr decodes a 16-byte kernel address of family af; ok is false for a
// family other than IPv4 or IPv6, or a short buffer.
func Addr(af uint16, b []byte) (a netip.Addr, ok bool) {
	switch {
	case af == AFInet && len(b) >= 4:
		return netip.AddrFrom4([4]byte(b[:4])), true
	case af == AFInet6 && len(b) >= 16:
		return netip.AddrFrom16([16]byte(b[:16])), true
	}
	return netip.Addr{}, false
}

// AppendAddr appends the address as inet_ntop writes it ("127.0.0.1",
// "::1", "::ffff:127.0.0.1"), or "?" for an unknown family.
func AppendAddr(dst []byte, af uint16, b []byte) []byte {
	a, ok := Addr(af, b)
	if !ok {
		return append(dst, '?')
	}
	return a.AppendTo(dst)
}

// IPVersion is 4 or 6 for the family, as the tools' IP column shows it;
// 0 for another family.
func IPVersion(af uint16) int {
	switch af {
	case AFInet:
		return 4
	case AFInet6:
		return 6
	}
	return 0
}

// ParsePorts reads a comma-separated list of ports ("80,443") as the -P
// flags of bcc's and libbpf-tools' TCP tools take it: each 1-65535, at
// most max of them. The error is meant for applet.Usagef.
func ParsePorts(s string, max int) ([]uint16, error) {
	var ports []uint16
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 16)
		if err != nil || n == 0 {
			return nil, &PortError{List: s, Port: f}
		}
		ports = append(ports, uint16(n))
	}
	if len(ports) > max {
		return nil, &PortError{List: s, Max: max}
	}
	return ports, nil
}

// PortError is a bad -P list.
type PortError struct {
	List, Port string
	Max        int
}

func (e *PortError) Error() string {
	if e.Max > 0 {
		return "too many ports in " + strconv.Quote(e.List) + ": at most " + strconv.Itoa(e.Max)
	}
	return "invalid port " + strconv.Quote(e.Port) + " in " + strconv.Quote(e.List) + ": want numbers 1-65535 separated by commas"
}
