package llcstat

import (
	"os"
	"strings"
	"testing"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/llcstat"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
)

func TestLiveCounters(t *testing.T) {
	livetest.Require(t)
	_, err := os.Stat("/sys/bus/event_source/devices/cpu")
	tool := livetest.Start(t, Applet, "-d", "1")
	status, ok := tool.Exited(30 * time.Second)
	if !ok {
		t.Fatal("llcstat -d 1 did not end")
	}
	if err == nil {
		if status != 0 || !strings.Contains(strings.Join(tool.Stdout(), "\n"), "Total References:") {
			t.Errorf("with a PMU: status %d, stdout %q, stderr %q", status, tool.Stdout(), tool.Stderr())
		}
		return
	}
	errs := tool.Stderr()
	if status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "no hardware cache counters") || len(tool.Stdout()) != 0 {
		t.Errorf("status %d, stderr %q, stdout %q: want exit 1 and one line", status, errs, tool.Stdout())
	}
}

func TestLiveLoads(t *testing.T) {
	livetest.Require(t)
	obj, err := loader.Load(loader.Request{
		Tool: "llcstat", Spec: bpfobj.LoadLlcstat, Programs: []string{"on_cache_miss", "on_cache_ref"},
		Consts: map[string]any{"sample_period": uint64(1000), "per_thread": true},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	if obj.Coll.Programs["on_cache_miss"] == nil || obj.Coll.Programs["on_cache_ref"] == nil {
		t.Fatal("programs not loaded")
	}
}
