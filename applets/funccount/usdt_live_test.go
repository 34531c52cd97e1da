package funccount

import (
	"os/exec"
	"strconv"
	"testing"

	"github.com/probebox/probebox/internal/functest"
)

// TestLiveUSDT: bcc's u:BIN:probe names USDT probes. The test program
// fires pbx:tick 7 times, and pbx:guarded 7 times only while its
// semaphore counts a tracer (the kernel's uprobe reference counter, set
// by attaching): both counts are exact, the probes named provider:name.
func TestLiveUSDT(t *testing.T) {
	bin := functest.BuildUSDT(t)
	target := exec.Command(bin, "7")
	in, err := target.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := target.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Process.Kill(); target.Wait() })
	byName := start(t, "-p", strconv.Itoa(target.Process.Pid), "u:"+bin+":*")
	withProvider := start(t, "u:"+bin+":pbx:tick")
	in.Write([]byte("go\n"))
	if err := target.Wait(); err != nil {
		t.Fatalf("target: %v", err)
	}
	got, ticks := counts(t, byName), counts(t, withProvider)
	if got["pbx:tick"] != 7 || got["pbx:guarded"] != 7 || len(got) != 2 {
		t.Errorf("u:BIN:* with -p: %v, want pbx:tick and pbx:guarded 7 times each", got)
	}
	if ticks["pbx:tick"] != 7 || len(ticks) != 1 {
		t.Errorf("u:BIN:pbx:tick: %v, want pbx:tick 7 times", ticks)
	}
}
