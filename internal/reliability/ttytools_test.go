package reliability

import (
	"os"
	"time"
)

// What the reliability tests need to know about the terminal tools (kept
// here rather than in the shared tables, so that branches adding tools do
// not edit the same lines). ttysnoop prints only what is written to the
// device it watches, and the helper writes to no terminal: it watches
// /dev/null (a character device like a tty, matched the same way by
// device number), which this process writes hostile bytes to while the
// tests run.
func init() {
	observeArgs["ttysnoop"] = []string{"-C", "/dev/null"}
	go func() {
		f, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
		if err != nil {
			return
		}
		for {
			f.WriteString(nasty + "\n")
			time.Sleep(20 * time.Millisecond)
		}
	}()
}
