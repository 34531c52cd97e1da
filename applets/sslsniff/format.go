package sslsniff

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as bcc's sslsniff prints them (a line per call,
// then the data between DATA markers), or as JSON with the data in
// base64.
type printer struct {
	cfg   *config
	first uint64
	line  []byte
	json  output.JSONLine
	b64   []byte
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

func (p *printer) header() []byte {
	b := []byte("FUNC         TIME(s)            COMM             PID     LEN   ")
	if p.cfg.extra {
		b = append(b, " UID     TID    "...)
	}
	if p.cfg.latency || p.cfg.handshake {
		b = append(b, " LAT(ms)"...)
	}
	return append(b, '\n')
}

func pad(b []byte, start, width int) []byte {
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}

// format returns e's text, valid until the next call.
func (p *printer) format(e *event) []byte {
	if p.first == 0 {
		p.first = e.tsNs
	}
	var secs float64
	if e.tsNs > p.first {
		secs = float64(e.tsNs-p.first) / 1e9
	}
	latMs := float64(e.deltaNs) / 1e6
	if p.cfg.json {
		return p.formatJSON(e, secs, latMs)
	}
	b := p.line[:0]
	start := len(b)
	b = append(b, e.funcName()...)
	b = pad(b, start, 12)
	b = append(b, ' ')
	start = len(b)
	b = strconv.AppendFloat(b, secs, 'f', 9, 64)
	b = pad(b, start, 18)
	b = append(b, ' ')
	start = len(b)
	b = output.AppendEscaped(b, e.comm)
	b = pad(b, start, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	if e.kind == kindHandshake {
		b = output.AppendIntPadRight(b, e.ret, 6) // the handshake's result
	} else {
		b = output.AppendIntPadRight(b, int64(e.len), 6)
	}
	if p.cfg.extra {
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(e.uid), 7)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(e.tid), 7)
	}
	if p.cfg.latency || e.kind == kindHandshake {
		b = append(b, ' ')
		b = strconv.AppendFloat(b, latMs, 'f', 3, 64)
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	b = append(b, '\n')
	if e.kind == kindHandshake {
		p.line = b
		return b
	}
	lost := int(e.len) - len(e.data)
	if lost > 0 {
		b = append(b, "----- DATA (TRUNCATED) -----\n"...)
	} else {
		b = append(b, "----- DATA -----\n"...)
	}
	if p.cfg.hexdump {
		b = appendHex(b, e.data)
	} else {
		b = output.AppendEscapedText(b, e.data)
	}
	b = append(b, '\n')
	if lost > 0 {
		b = append(b, "----- END DATA (TRUNCATED, "...)
		b = strconv.AppendInt(b, int64(lost), 10)
		b = append(b, " bytes lost) -----\n\n"...)
	} else {
		b = append(b, "----- END DATA -----\n\n"...)
	}
	p.line = b
	return b
}

// appendHex writes data as bcc's --hexdump does: hex digits, 32 to a line.
func appendHex(b, data []byte) []byte {
	for i := 0; i < len(data); i += 16 {
		if i > 0 {
			b = append(b, '\n')
		}
		b = hex.AppendEncode(b, data[i:min(i+16, len(data))])
	}
	return b
}

func (p *printer) formatJSON(e *event, secs, latMs float64) []byte {
	j := &p.json
	j.Reset()
	j.Str("func", []byte(e.funcName()))
	j.Uint("timestamp_ns", e.tsNs)
	j.Float("time_s", secs, 9)
	j.Str("comm", e.comm)
	j.Int("pid", int64(e.pid))
	j.Int("tid", int64(e.tid))
	j.Uint("uid", uint64(e.uid))
	j.Float("lat_ms", latMs, 3)
	j.Int("ret", e.ret)
	if e.kind != kindHandshake {
		j.Int("len", int64(e.len))
		j.Int("captured", int64(len(e.data)))
		j.Bool("truncated", len(e.data) < int(e.len))
		p.b64 = base64.StdEncoding.AppendEncode(p.b64[:0], e.data)
		j.Str("data", p.b64)
	}
	return j.Bytes()
}
