package trace

import (
	"bytes"
	"context"
	"testing"

	"github.com/probebox/probebox/core/applet"
)

// TestErrorsQuoteTheProgram: trace prints a bad program's error as
// bpftrace does, the message, the line, marks under the culprit; exit 1.
func TestErrorsQuoteTheProgram(t *testing.T) {
	tests := []struct{ program, want string }{
		{"BEGIN { @x = 1 +; }", "trace: stdin:1:17-18: ERROR: unexpected \";\"\nBEGIN { @x = 1 +; }\n                ~\n"},
		{"BEGIN { @x = foo; }", "trace: stdin:1:14-17: ERROR: unknown identifier \"foo\"\nBEGIN { @x = foo; }\n             ~~~\n"},
		{"nosuch:x { }", "trace: stdin:1:1-9: ERROR: unknown probe type \"nosuch\": probes are BEGIN, END, tracepoint:, rawtracepoint:, kprobe:, kretprobe:, fentry:, fexit:, uprobe:, uretprobe:, usdt:, software:, hardware:, watchpoint:, interval: or profile:\nnosuch:x { }\n~~~~~~~~\n"},
		{"BEGIN {\n  @x = comm +\n    1;\n}", "trace: stdin:2-3: ERROR: type mismatch for '+': string[16] and int64 (it needs two integers)\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		status := Applet.Exec(context.Background(), []string{"-e", tt.program}, applet.Streams{Stdout: &stdout, Stderr: &stderr})
		if status != 1 || stderr.String() != tt.want {
			t.Errorf("%q: status %d, stderr\n%s\nwant\n%s", tt.program, status, stderr.String(), tt.want)
		}
	}
}
