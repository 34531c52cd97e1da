package netqtop

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/applet"
)

// device is the traced interface: its index and namespace (what the BPF
// program matches) and its queue counts.
type device struct {
	name       string
	ifindex    int32
	netns      uint32 // the namespace's inode number
	txq, rxq   int
	fromSysfs  bool
	netnsGiven string
}

// findDevice looks name up in the namespace at netnsPath (empty: this
// process's), over netlink; the queue counts are sysfs's when sysfs shows
// this namespace's device (the queues in use), else netlink's (the queues
// the device has).
func findDevice(name, netnsPath string) (*device, error) {
	d := &device{name: name, netnsGiven: netnsPath}
	nsPath := netnsPath
	if nsPath == "" {
		nsPath = "/proc/thread-self/ns/net"
	}
	var st unix.Stat_t
	if err := unix.Stat(nsPath, &st); err != nil {
		return nil, applet.Usagef("--netns %s: %v", netnsPath, err)
	}
	d.netns = uint32(st.Ino)
	var err error
	if netnsPath == "" {
		err = d.fromNetlink()
	} else {
		err = inNamespace(netnsPath, d.fromNetlink)
	}
	if err != nil {
		return nil, err
	}
	if netnsPath == "" {
		d.countSysfs()
	}
	return d, nil
}

// inNamespace runs fn on a thread switched into the namespace at path.
func inNamespace(path string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer orig.Close()
		target, err := os.Open(path)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- applet.Usagef("--netns %s: %v", path, err)
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("entering network namespace %s: %w", path, err)
			return
		}
		err = fn()
		if unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		} // else the thread ends with this goroutine, still locked
		errc <- err
	}()
	return <-errc
}

// fromNetlink reads the device's index and queue counts from the
// kernel's link list (RTM_GETLINK) of the calling thread's namespace.
func (d *device) fromNetlink() error {
	rib, err := syscall.NetlinkRIB(syscall.RTM_GETLINK, syscall.AF_UNSPEC)
	if err != nil {
		return fmt.Errorf("listing network devices: %w", err)
	}
	msgs, err := syscall.ParseNetlinkMessage(rib)
	if err != nil {
		return fmt.Errorf("listing network devices: %w", err)
	}
	for _, m := range msgs {
		if m.Header.Type != syscall.RTM_NEWLINK || len(m.Data) < syscall.SizeofIfInfomsg {
			continue
		}
		info := (*syscall.IfInfomsg)(unsafe.Pointer(&m.Data[0]))
		attrs, err := syscall.ParseNetlinkRouteAttr(&m)
		if err != nil {
			continue
		}
		var name string
		var txq, rxq int
		for _, a := range attrs {
			switch a.Attr.Type {
			case syscall.IFLA_IFNAME:
				name = strings.TrimRight(string(a.Value), "\x00")
			case unix.IFLA_NUM_TX_QUEUES:
				txq = int(*(*uint32)(unsafe.Pointer(&a.Value[0])))
			case unix.IFLA_NUM_RX_QUEUES:
				rxq = int(*(*uint32)(unsafe.Pointer(&a.Value[0])))
			}
		}
		if name == d.name {
			d.ifindex, d.txq, d.rxq = info.Index, txq, rxq
			return nil
		}
	}
	where := "this network namespace"
	if d.netnsGiven != "" {
		where = d.netnsGiven
	}
	return applet.Usagef("network interface %q does not exist in %s", d.name, where)
}

// countSysfs counts /sys/class/net/NAME/queues/{tx,rx}-N when that
// device is the one found (same ifindex): the queues in use.
func (d *device) countSysfs() {
	base := "/sys/class/net/" + d.name
	b, err := os.ReadFile(base + "/ifindex")
	if err != nil || strings.TrimSpace(string(b)) != fmt.Sprint(d.ifindex) {
		return
	}
	entries, err := os.ReadDir(base + "/queues")
	if err != nil {
		return
	}
	tx, rx := 0, 0
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "tx-"):
			tx++
		case strings.HasPrefix(e.Name(), "rx-"):
			rx++
		}
	}
	if tx > 0 && rx > 0 {
		d.txq, d.rxq, d.fromSysfs = tx, rx, true
	}
}
