package trace

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/output"
)

// formatValue renders the values printed by name rather than number:
// ksym() and usym() as the symbol's name (hex when unknown), ntop() as
// an address in text.
func formatValue(t lang.Type, raw []byte, sym symbolizer) string {
	ne := binary.NativeEndian
	switch t.Kind {
	case lang.KKsym:
		if sym == nil {
			return hexAddr(ne.Uint64(raw))
		}
		return sym.Kernel(ne.Uint64(raw), false)
	case lang.KUsym:
		if sym == nil {
			return hexAddr(ne.Uint64(raw))
		}
		return sym.User(int(ne.Uint64(raw[8:])), ne.Uint64(raw), false)
	case lang.KInet:
		return formatInet(ne.Uint64(raw), raw[8:24])
	case lang.KTime:
		return strftime(t.Format, bootWallClock(ne.Uint64(raw)))
	case lang.KMac:
		return fmt.Sprintf("%02X:%02X:%02X:%02X:%02X:%02X", raw[0], raw[1], raw[2], raw[3], raw[4], raw[5])
	case lang.KBuf:
		return string(formatBuf(nil, raw))
	case lang.KTuple:
		return formatTuple(t, raw, sym)
	case lang.KUser:
		return userName(uint32(ne.Uint64(raw)))
	case lang.KErrno:
		return errnoText(int64(ne.Uint64(raw)))
	case lang.KCgroupPath:
		return cgroupPath(ne.Uint64(raw), t.Format)
	}
	return ""
}

// userName is a uid's login name (the passwd database, as the C
// library's getpwuid reads it), else the uid as a number.
func userName(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	userNames.Lock()
	defer userNames.Unlock()
	if name, ok := userNames.m[uid]; ok {
		return name
	}
	name := id
	if u, err := user.LookupId(id); err == nil {
		name = u.Username
	}
	if userNames.m == nil {
		userNames.m = map[uint32]string{}
	}
	userNames.m[uid] = name
	return name
}

var userNames struct {
	sync.Mutex
	m map[uint32]string
}

// errnoText is strerror(3)'s message for an errno: Go's table is the C
// library's with the first letter lowered.
func errnoText(n int64) string {
	if n <= 0 || n > 4095 {
		return fmt.Sprintf("Unknown error %d", n)
	}
	msg := syscall.Errno(n).Error()
	if strings.HasPrefix(msg, "errno ") {
		return fmt.Sprintf("Unknown error %d", n)
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// tupleJSON writes a tuple as bpftrace's -f json does: an array,
// integers as numbers, everything else as the text it prints.
func tupleJSON(t lang.Type, raw []byte, sym symbolizer) string {
	return "[" + strings.Join(tupleParts(t, raw, func(et lang.Type, r []byte) string {
		switch et.Kind {
		case lang.KInt:
			return formatPart(et, r, nil)
		case lang.KStr:
			return jsonString(string(cstr(r))) // JSON escapes it
		case lang.KTuple:
			return tupleJSON(et, r, sym)
		}
		return jsonString(formatValue(et, r, sym))
	}), ",") + "]"
}

// formatTuple writes a tuple as bpftrace does: "(1, text, 127.0.0.1)".
func formatTuple(t lang.Type, raw []byte, sym symbolizer) string {
	return "(" + strings.Join(tupleParts(t, raw, func(et lang.Type, r []byte) string {
		return formatPart(et, r, func(et lang.Type, r []byte) string { return formatValue(et, r, sym) })
	}), ", ") + ")"
}

// tupleParts formats each element of a tuple with part.
func tupleParts(t lang.Type, raw []byte, part func(lang.Type, []byte) string) []string {
	offs, _ := lang.TupleOffsets(t.Elems)
	parts := make([]string, len(t.Elems))
	for i, et := range t.Elems {
		parts[i] = part(et, raw[offs[i]:offs[i]+et.Size])
	}
	return parts
}

// formatPart writes one key part or tuple element: an integer in
// decimal, a string escaped, anything else by other.
func formatPart(t lang.Type, raw []byte, other func(lang.Type, []byte) string) string {
	switch t.Kind {
	case lang.KInt:
		return fmt.Sprint(int64(binary.NativeEndian.Uint64(raw)))
	case lang.KStr:
		return string(output.AppendEscaped(nil, cstr(raw)))
	}
	return other(t, raw)
}

// formatBuf writes a buf() value as bpftrace's %r does: printable ASCII
// as it is, every other byte as \xNN (so nothing reaches a terminal
// unescaped).
func formatBuf(dst, raw []byte) []byte {
	n := int(binary.NativeEndian.Uint64(raw))
	data := raw[lang.BufLenSize:]
	n = min(n, len(data))
	for _, c := range data[:n] {
		if c >= 0x20 && c <= 0x7e {
			dst = append(dst, c)
		} else {
			dst = fmt.Appendf(dst, "\\x%02x", c)
		}
	}
	return dst
}

// formatInet writes an address as inet_ntop(3) does (glibc's forms).
func formatInet(family uint64, b []byte) string {
	if family != 10 { // AF_INET6
		return netip.AddrFrom4([4]byte(b[:4])).String()
	}
	a := netip.AddrFrom16([16]byte(b))
	// glibc writes the deprecated IPv4-compatible form ::a.b.c.d
	// (a zero run of exactly six words), where Go writes hex words.
	var zero [12]byte
	if [12]byte(b[:12]) == zero && (b[12] != 0 || b[13] != 0) {
		return "::" + netip.AddrFrom4([4]byte(b[12:16])).String()
	}
	return a.String()
}
