package exitsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct exit_event) (bpfobj/exitsnoop/exitsnoop.h);
// the layout test checks it against the bpf2go type.
const eventSize = 64

// event is a decoded struct exit_event.
type event struct {
	startNs, exitNs uint64
	pid, tid, ppid  uint32
	exitCode        uint32 // wait status as the kernel keeps it
	uid             uint32
	cgroupID        uint64
	comm            []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short exit event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.startNs = ne.Uint64(b[0:])
	e.exitNs = ne.Uint64(b[8:])
	e.pid = ne.Uint32(b[16:])
	e.tid = ne.Uint32(b[20:])
	e.ppid = ne.Uint32(b[24:])
	e.exitCode = ne.Uint32(b[28:])
	e.uid = ne.Uint32(b[32:])
	e.cgroupID = ne.Uint64(b[40:])
	e.comm = b[48:64]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}

// status splits the kernel's exit_code as wait(2) does: the exit status,
// the terminating signal (0 for a normal exit) and the core-dump bit.
func (e *event) status() (code, sig int, core bool) {
	return int(e.exitCode>>8) & 0xff, int(e.exitCode & 0x7f), e.exitCode&0x80 != 0
}

// ageSeconds is how long the task lived.
func (e *event) ageSeconds() float64 {
	if e.exitNs < e.startNs {
		return 0
	}
	return float64(e.exitNs-e.startNs) / 1e9
}
