package bashreadline

import (
	"testing"

	bpfobj "github.com/probebox/probebox/bpfobj/bashreadline"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
)

// TestLiveLoad: the kernel's verifier accepts every program, on every
// kernel of the matrix, even where the program the tool probes is
// absent (the busybox guests) and the other live tests skip.
func TestLiveLoad(t *testing.T) {
	livetest.Require(t)
	obj, err := loader.Load(loader.Request{Tool: "bashreadline", Spec: bpfobj.LoadBashreadline, Programs: []string{"uretprobe_readline"}, Consts: (&config{}).consts()})
	if err != nil {
		t.Fatal(err)
	}
	obj.Close()
}
