package trace

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMappedFile(t *testing.T) {
	maps := filepath.Join(t.TempDir(), "maps")
	os.WriteFile(maps, []byte(`55d0c0a00000-55d0c0a28000 r--p 00000000 fe:01 1234 /usr/bin/bash
7f1e2a000000-7f1e2a028000 r--p 00000000 fe:01 5678 /usr/lib/x86_64-linux-gnu/libc.so.6
7f1e2a400000-7f1e2a401000 rw-p 00000000 00:00 0 [heap]
7f1e2a500000-7f1e2a528000 r--p 00000000 fe:01 91 /usr/lib/libcrypt-2.31.so
`), 0o644)
	tests := map[string]string{
		"bash":     "/usr/bin/bash",
		"libc":     "/usr/lib/x86_64-linux-gnu/libc.so.6",
		"libcrypt": "/usr/lib/libcrypt-2.31.so",
		"lib":      "",
		"heap":     "",
	}
	for name, want := range tests {
		got, ok := mappedFile(maps, name)
		if got != want || ok != (want != "") {
			t.Errorf("mappedFile(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
