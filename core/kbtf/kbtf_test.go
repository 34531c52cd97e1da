package kbtf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyKernelBTF puts a copy of the running kernel's BTF at path.
func copyKernelBTF(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(sysfsPath)
	if err != nil {
		t.Skipf("no kernel BTF to copy: %v", err)
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func fakeResolver(root string, env map[string]string) *Resolver {
	return &Resolver{
		Env:       func(k string) string { return env[k] },
		SysfsPath: filepath.Join(root, "sys/kernel/btf/vmlinux"),
		Release:   "6.1.0-test",
		Root:      root,
	}
}

func TestOrder(t *testing.T) {
	root := t.TempDir()
	flagFile := filepath.Join(root, "flag.btf")
	envFile := filepath.Join(root, "env.btf")
	sysfs := filepath.Join(root, "sys/kernel/btf/vmlinux")
	boot := filepath.Join(root, "boot/vmlinux-6.1.0-test")
	for _, p := range []string{flagFile, envFile, sysfs, boot} {
		copyKernelBTF(t, p)
	}
	tests := []struct {
		name     string
		explicit string
		env      string
		remove   []string
		want     string
		source   string
	}{
		{"flag first", flagFile, envFile, nil, flagFile, "flag"},
		{"env next", "", envFile, nil, envFile, "env PROBEBOX_BTF"},
		{"sysfs next", "", "", nil, sysfs, "sysfs"},
		{"then /boot", "", "", []string{sysfs}, boot, "vmlinux"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range tt.remove {
				os.Rename(p, p+".hidden")
				defer os.Rename(p+".hidden", p)
			}
			r := fakeResolver(root, map[string]string{EnvVar: tt.env})
			r.Explicit = tt.explicit
			res, err := r.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			if res.Path != tt.want || res.Source != tt.source || res.Spec == nil {
				t.Errorf("got %s (%s), want %s (%s)", res.Path, res.Source, tt.want, tt.source)
			}
			if res.IsRunningKernel != (tt.source == "sysfs") {
				t.Errorf("IsRunningKernel = %v", res.IsRunningKernel)
			}
		})
	}
}

func TestBadExplicitIsAnError(t *testing.T) {
	root := t.TempDir()
	copyKernelBTF(t, filepath.Join(root, "sys/kernel/btf/vmlinux"))
	garbage := filepath.Join(root, "garbage")
	os.WriteFile(garbage, []byte("not btf"), 0o644)
	for _, tt := range []struct{ explicit, env string }{{"/nonexistent/btf", ""}, {garbage, ""}, {"", "/nonexistent/env.btf"}} {
		r := fakeResolver(root, map[string]string{EnvVar: tt.env})
		r.Explicit = tt.explicit
		if _, err := r.Resolve(); err == nil {
			t.Errorf("flag %q env %q: resolved despite a bad file (must not fall back silently)", tt.explicit, tt.env)
		}
	}
}

func TestNothingFound(t *testing.T) {
	r := fakeResolver(t.TempDir(), nil)
	_, err := r.Resolve()
	if err == nil {
		t.Fatal("resolved with no BTF anywhere")
	}
	msg := err.Error()
	for _, want := range append(r.Candidates(), "--btf FILE", EnvVar, "CONFIG_DEBUG_INFO_BTF") {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	if strings.Count(msg, "\n") > 0 {
		t.Errorf("error is not one line: %q", msg)
	}
}

func TestSharedCache(t *testing.T) {
	if SharedCache() != SharedCache() {
		t.Fatal("SharedCache is not shared")
	}
}
