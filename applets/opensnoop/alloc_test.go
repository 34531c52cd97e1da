package opensnoop

import "testing"

// Decoding and formatting an event allocate nothing (text and --json):
// with the reused ring-buffer record and output.Writer's buffer, the
// streaming path makes no garbage per event.
func TestNoAllocPerEvent(t *testing.T) {
	for _, c := range []*config{{}, {timestamp: true, printUID: true, extended: true}, {json: true, timestamp: true, printUID: true, extended: true}} {
		p := newPrinter(c)
		sample := make([]byte, offFname+nameLen)
		copy(sample[offComm:], "cat")
		copy(sample[offFname:], "/etc/passwd")
		sample[28], sample[29] = 0x41, 0x80 // flags 0100101: several octal digits
		var ev event
		ev.decode(sample)
		p.format(&ev) // the line buffer grows once
		if n := testing.AllocsPerRun(1000, func() {
			ev.decode(sample)
			p.format(&ev)
		}); n != 0 {
			t.Errorf("json=%v: %.1f allocations per event, want 0", c.json, n)
		}
	}
}
