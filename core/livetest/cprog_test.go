package livetest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestCProgSpec: the test-program line of each C test program gives the
// name its test expects as comm and the flags kernels/lib.sh builds it
// with; a source without the line is an error naming it.
func TestCProgSpec(t *testing.T) {
	for _, c := range []struct {
		src   string
		name  string
		flags []string
	}{
		{"../../applets/threadsnoop/testdata/threads.c", "pbx-threads", []string{"-O1", "-pthread"}},
		{"../../applets/gethostlatency/testdata/lookups.c", "pbx-resolver", []string{"-O1"}},
		{"../../applets/memleak/testdata/leaky.c", "pbxleaky", []string{"-O1", "-fno-omit-frame-pointer"}},
	} {
		name, flags, err := cprogSpec(c.src)
		if err != nil || name != c.name || !slices.Equal(flags, c.flags) {
			t.Errorf("%s: %q %q %v; want %q %q", c.src, name, flags, err, c.name, c.flags)
		}
	}
	bare := filepath.Join(t.TempDir(), "bare.c")
	os.WriteFile(bare, []byte("int main(void) { return 0; }\n"), 0o644)
	if _, _, err := cprogSpec(bare); err == nil {
		t.Errorf("%s has no test-program line: want an error", bare)
	}
}
