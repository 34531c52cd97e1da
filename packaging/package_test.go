// Package packaging_test builds the .deb and .rpm and checks them the way
// a user meets them: listed, installed into a throwaway root, run through
// the installed link, read with man, completed by bash, and removed.
package packaging_test

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the packages")
	}
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("not a Debian system: no dpkg-deb")
	}
	dist := t.TempDir()
	make := exec.Command("make", "-C", "..", "package", "DIST="+dist)
	if out, err := make.CombinedOutput(); err != nil {
		t.Fatalf("make package: %v\n%s", err, out)
	}
	all, _ := filepath.Glob(filepath.Join(dist, "*"))
	for _, want := range []string{"_amd64.deb", "_arm64.deb", ".x86_64.rpm", ".aarch64.rpm"} {
		found := false
		for _, f := range all {
			found = found || strings.HasSuffix(f, want)
		}
		if !found {
			t.Errorf("no *%s among %q", want, all)
		}
	}
	checkArm64Binary(t, dist)
	debs, _ := filepath.Glob(filepath.Join(dist, "*_"+runtime.GOARCH+".deb"))
	rpms, _ := filepath.Glob(filepath.Join(dist, "*"+map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]+".rpm"))
	if len(debs) != 1 || len(rpms) != 1 {
		t.Fatalf("packages for this machine: %q %q", debs, rpms)
	}
	listing := run(t, "dpkg-deb", "-c", debs[0])
	for _, want := range []string{"./usr/bin/probebox", "./usr/libexec/probebox/execsnoop -> ../../bin/probebox",
		"./usr/share/man/man8/execsnoop.8.gz", "./usr/share/man/man8/probebox.8.gz",
		"./usr/share/bash-completion/completions/execsnoop -> probebox", "./usr/share/doc/probebox/copyright"} {
		if !strings.Contains(listing, want) {
			t.Errorf("the .deb lacks %s", want)
		}
	}

	// Install into a throwaway root with its own dpkg database.
	root := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), nil, 0o644)
	dpkg := []string{"--root=" + root, "--force-not-root", "--force-script-chrootless", "--log=/dev/null"}
	run(t, "dpkg", append(dpkg, "-i", debs[0])...)
	link := filepath.Join(root, "usr/libexec/probebox/execsnoop")
	if out := run(t, link, "--help"); !strings.Contains(out, "Usage: execsnoop") {
		t.Errorf("installed execsnoop --help:\n%s", out)
	}
	if _, err := exec.LookPath("man"); err == nil {
		page := filepath.Join(root, "usr/share/man/man8/execsnoop.8.gz")
		if out := run(t, "man", "-l", "-P", "cat", page); !strings.Contains(out, "include failed exec()s") {
			t.Errorf("man execsnoop:\n%s", out)
		}
	}
	comp := filepath.Join(root, "usr/share/bash-completion/completions/execsnoop")
	out := run(t, "bash", "-c", `source "$1"; COMP_WORDS=(execsnoop --fa); COMP_CWORD=1; _probebox; echo "${COMPREPLY[@]}"`, "bash", comp)
	if strings.TrimSpace(out) != "--fails" {
		t.Errorf("installed bash completion of 'execsnoop --fa': %q", out)
	}
	run(t, "dpkg", append(dpkg, "-r", "probebox")...)
	if _, err := os.Lstat(link); !os.IsNotExist(err) {
		t.Errorf("%s is still there after dpkg -r: %v", link, err)
	}
	if _, err := os.Stat(filepath.Join(root, "usr/bin/probebox")); !os.IsNotExist(err) {
		t.Error("/usr/bin/probebox is still there after dpkg -r")
	}

	if _, err := exec.LookPath("rpm"); err == nil {
		files := run(t, "rpm", "-qlp", rpms[0])
		for _, want := range []string{"/usr/bin/probebox", "/usr/libexec/probebox/execsnoop", "/usr/share/man/man8/execsnoop.8.gz"} {
			if !strings.Contains(files, want+"\n") {
				t.Errorf("the .rpm lacks %s", want)
			}
		}
	}
}

// checkArm64Binary unpacks the arm64 .deb and checks that its probebox is
// a static aarch64 executable.
func checkArm64Binary(t *testing.T, dist string) {
	debs, _ := filepath.Glob(filepath.Join(dist, "*_arm64.deb"))
	if len(debs) != 1 {
		t.Fatalf("arm64 .deb: %q", debs)
	}
	dir := t.TempDir()
	run(t, "dpkg-deb", "-x", debs[0], dir)
	f, err := elf.Open(filepath.Join(dir, "usr/bin/probebox"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 {
		t.Errorf("the arm64 package's probebox is for %v", f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the arm64 probebox is not static: it has an interpreter")
		}
	}
}
