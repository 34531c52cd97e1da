package sslsniff

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// headerSize is offsetof(struct ssl_event, buf) (bpfobj/sslsniff/sslsniff.h):
// events carry only the bytes filled after it. The layout test checks it.
const headerSize = 64

// Event kinds (SSL_EV_*).
const (
	kindRead = iota
	kindWrite
	kindHandshake
)

// event is a decoded struct ssl_event.
type event struct {
	tsNs, deltaNs      uint64
	ret                int64
	pid, tid, uid, len uint32
	kind               uint32
	comm, data         []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < headerSize {
		return fmt.Errorf("short TLS event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.deltaNs = ne.Uint64(b[8:])
	e.ret = int64(ne.Uint64(b[16:]))
	e.pid = ne.Uint32(b[24:])
	e.tid = ne.Uint32(b[28:])
	e.uid = ne.Uint32(b[32:])
	e.len = ne.Uint32(b[36:])
	filled := ne.Uint32(b[40:])
	e.kind = ne.Uint32(b[44:])
	e.comm = b[48:64]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	if int(filled) > len(b)-headerSize || filled > maxBuf {
		return fmt.Errorf("TLS event says %d bytes of data, carries %d", filled, len(b)-headerSize)
	}
	e.data = b[headerSize : headerSize+int(filled)]
	return nil
}

func (e *event) funcName() string {
	switch e.kind {
	case kindRead:
		return "READ/RECV"
	case kindWrite:
		return "WRITE/SEND"
	case kindHandshake:
		return "HANDSHAKE"
	}
	return "UNKNOWN"
}
