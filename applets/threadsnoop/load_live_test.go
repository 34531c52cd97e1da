package threadsnoop

import (
	"testing"

	bpfobj "github.com/probebox/probebox/bpfobj/threadsnoop"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
)

// TestLiveLoad: the kernel's verifier accepts every program, on every
// kernel of the matrix, even where the program the tool probes is
// absent (the busybox guests) and the other live tests skip.
func TestLiveLoad(t *testing.T) {
	livetest.Require(t)
	obj, err := loader.Load(loader.Request{Tool: "threadsnoop", Spec: bpfobj.LoadThreadsnoop, Programs: []string{"uprobe_pthread_create"}, Consts: (&config{}).consts()})
	if err != nil {
		t.Fatal(err)
	}
	obj.Close()
}
