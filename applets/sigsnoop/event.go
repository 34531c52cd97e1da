package sigsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct signal_event) (bpfobj/sigsnoop/sigsnoop.h).
const eventSize = 64

// Sources, as SIG_SRC_* in sigsnoop.h.
var sources = [...]string{"signal_generate", "kill", "tkill", "tgkill"}

type event struct {
	tsNs        uint64
	pid, tid    uint32
	tpid, sig   int32
	ret         int32
	source      uint32
	comm, tcomm []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short signal event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.pid = ne.Uint32(b[8:])
	e.tid = ne.Uint32(b[12:])
	e.tpid = int32(ne.Uint32(b[16:]))
	e.sig = int32(ne.Uint32(b[20:]))
	e.ret = int32(ne.Uint32(b[24:]))
	e.source = ne.Uint32(b[28:])
	e.comm = cstring(b[32:48])
	e.tcomm = cstring(b[48:64])
	return nil
}

func (e *event) sourceName() string {
	if int(e.source) < len(sources) {
		return sources[e.source]
	}
	return fmt.Sprint(e.source)
}

func cstring(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
