package capable

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
)

// eventSize is sizeof(struct cap_event) (bpfobj/capable/capable.h).
const eventSize = 72

type event struct {
	tsNs, cgroupID uint64
	pid, tid, uid  uint32
	cap, ret       int32
	audit, insetid int32
	comm           []byte
	// Stack ids (-K, -U); stacks.NotCollected without.
	kernelStack, userStack int32
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short capability event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.cgroupID = ne.Uint64(b[8:])
	e.pid = ne.Uint32(b[16:])
	e.tid = ne.Uint32(b[20:])
	e.uid = ne.Uint32(b[24:])
	e.cap = int32(ne.Uint32(b[28:]))
	e.ret = int32(ne.Uint32(b[32:]))
	e.audit = int32(ne.Uint32(b[36:]))
	e.insetid = int32(ne.Uint32(b[40:]))
	e.comm = b[48:64]
	e.kernelStack = int32(ne.Uint32(b[64:]))
	e.userStack = int32(ne.Uint32(b[68:]))
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}

// capNames are <linux/capability.h>'s names by number.
var capNames = [...]string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
	"CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
	"CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
}

func capName(c int32) string {
	if c >= 0 && int(c) < len(capNames) {
		return capNames[c]
	}
	return "CAP_" + strconv.Itoa(int(c))
}

func (e *event) verdict() string {
	if e.ret == 0 {
		return "allow"
	}
	return "deny"
}
