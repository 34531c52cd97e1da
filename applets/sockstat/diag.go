package sockstat

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/applet"
)

// diag is a NETLINK_SOCK_DIAG socket, made in the namespace to count.
type diag struct {
	fd    int
	inode uint64
}

// openDiag opens the netlink socket, in the namespace at path when given
// (a socket stays in the namespace it was made in).
func openDiag(path string) (*diag, error) {
	var (
		d   diag
		err error
	)
	if path == "" {
		path = "/proc/thread-self/ns/net"
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return nil, applet.Usagef("-N %s: %v", path, err)
	}
	d.inode = st.Ino
	open := func() {
		d.fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	}
	if path == "/proc/thread-self/ns/net" {
		open()
	} else if err2 := inNetns(path, open); err2 != nil {
		return nil, err2
	}
	if err != nil {
		return nil, fmt.Errorf("opening a sock_diag netlink socket: %w", err)
	}
	return &d, nil
}

func (d *diag) close() { unix.Close(d.fd) }

func (d *diag) nsName() string { return "net:[" + strconv.FormatUint(d.inode, 10) + "]" }

// inNetns runs fn on a thread switched into the namespace at path; the
// thread is thrown away afterwards (never returned to the scheduler in
// another namespace).
func inNetns(path string, fn func()) error {
	f, err := os.Open(path)
	if err != nil {
		return applet.Usagef("-N %s: %v", path, err)
	}
	defer f.Close()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // not unlocked: the thread ends with the goroutine
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- applet.Usagef("-N %s: not a network namespace: %v", path, err)
			return
		}
		fn()
		errc <- nil
	}()
	return <-errc
}

// key is one row of the summary.
type key struct {
	proto, family string
	state         int
}

const (
	ipprotoTCP = 6
	ipprotoUDP = 17
	allStates  = 0xffffffff
)

// count dumps the TCP and UDP sockets (IPv4, IPv6) and the unix sockets
// of the namespace and counts them by key.
func (d *diag) count() (map[key]int, error) {
	counts := map[key]int{}
	for _, q := range []struct {
		family   uint8
		protocol uint8
		proto    string
		fam      string
	}{
		{unix.AF_INET, ipprotoTCP, "tcp", "inet"}, {unix.AF_INET6, ipprotoTCP, "tcp", "inet6"},
		{unix.AF_INET, ipprotoUDP, "udp", "inet"}, {unix.AF_INET6, ipprotoUDP, "udp", "inet6"},
	} {
		// struct inet_diag_req_v2: family, protocol, ext, pad, states,
		// then a 48-byte inet_diag_sockid left zero (match all)
		req := make([]byte, 56)
		req[0], req[1] = q.family, q.protocol
		binary.NativeEndian.PutUint32(req[4:], allStates)
		err := d.dump(req, func(msg []byte) {
			// struct inet_diag_msg: family, state, ...
			if len(msg) >= 2 {
				counts[key{q.proto, q.fam, int(msg[1])}]++
			}
		})
		if err != nil {
			return nil, diagError(q.proto, q.proto+"_diag", err)
		}
	}
	// struct unix_diag_req: family, protocol, pad, states, ino, show,
	// cookie[2]
	req := make([]byte, 24)
	req[0] = unix.AF_UNIX
	binary.NativeEndian.PutUint32(req[4:], allStates)
	err := d.dump(req, func(msg []byte) {
		// struct unix_diag_msg: family, type, state, ...
		if len(msg) >= 3 {
			counts[key{"unix-" + unixType(msg[1]), "unix", int(msg[2])}]++
		}
	})
	if err != nil {
		return nil, diagError("unix", "unix_diag", err)
	}
	return counts, nil
}

// diagError says which kernel module answers for proto when the kernel
// has no handler (ENOENT: not built in, not loaded, no module loader).
func diagError(proto, module string, err error) error {
	if errors.Is(err, syscall.ENOENT) {
		return fmt.Errorf("the kernel has no sock_diag handler for %s: load the %s module (modprobe %s)", proto, module, module)
	}
	return fmt.Errorf("sock_diag %s: %w", proto, err)
}

func unixType(t uint8) string {
	switch t {
	case unix.SOCK_STREAM:
		return "stream"
	case unix.SOCK_DGRAM:
		return "dgram"
	case unix.SOCK_SEQPACKET:
		return "seqpacket"
	}
	return "type" + strconv.Itoa(int(t))
}

// dump sends one SOCK_DIAG_BY_FAMILY dump request and calls each for
// every socket message until the dump ends.
func (d *diag) dump(req []byte, each func([]byte)) error {
	msg := make([]byte, unix.NLMSG_HDRLEN+len(req))
	binary.NativeEndian.PutUint32(msg[0:], uint32(len(msg)))
	binary.NativeEndian.PutUint16(msg[4:], unix.SOCK_DIAG_BY_FAMILY)
	binary.NativeEndian.PutUint16(msg[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	binary.NativeEndian.PutUint32(msg[8:], 1)
	copy(msg[unix.NLMSG_HDRLEN:], req)
	if err := unix.Sendto(d.fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return err
	}
	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(d.fd, buf, 0)
		if err != nil {
			return err
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return err
		}
		for _, m := range msgs {
			switch m.Header.Type {
			case unix.NLMSG_DONE:
				return nil
			case unix.NLMSG_ERROR:
				if len(m.Data) >= 4 {
					if e := int32(binary.NativeEndian.Uint32(m.Data)); e != 0 {
						return syscall.Errno(-e)
					}
				}
				return errors.New("netlink error")
			default:
				each(m.Data)
			}
		}
	}
}
