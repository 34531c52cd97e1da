package livetest

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// freshEnv marks a test process started by RerunFresh.
const freshEnv = "PROBEBOX_TEST_FRESH"

// RerunFresh runs the calling test again in a new test process with env
// added, and reports true in the parent, which then returns; in the child
// it reports false and the test runs. attach.Running caches its kernel
// probes per process, so PROBEBOX_DISABLE only takes effect in a process
// that has not probed yet.
func RerunFresh(t *testing.T, env ...string) bool {
	t.Helper()
	if os.Getenv(freshEnv) == "1" {
		return false
	}
	Require(t)
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := exec.Command(os.Args[0], "-test.run", strings.Join(parts, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(append(os.Environ(), env...), freshEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("in a fresh process with %q: %v\n%s", env, err, out)
	}
	return true
}
