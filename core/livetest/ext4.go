package livetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// Ext4ImageEnv names an empty ext4 file system image made beforehand
// (kernels/lib.sh makes one for the kernel matrix, whose guests have no
// mkfs.ext4).
const Ext4ImageEnv = "PROBEBOX_TEST_EXT4_IMAGE"

// Ext4 mounts a fresh ext4 file system on a loop device and returns its
// mount point; it is unmounted and the device detached when the test
// ends. The file system is made by mkfs.ext4 (e2fsprogs) on a 16 MiB
// file, or copied from the image $PROBEBOX_TEST_EXT4_IMAGE names; with
// neither the test skips, naming mkfs.ext4.
func Ext4(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	img := filepath.Join(dir, "ext4.img")
	if mkfs, err := exec.LookPath("mkfs.ext4"); err == nil {
		f, err := os.Create(img)
		if err != nil {
			t.Fatal(err)
		}
		err = f.Truncate(16 << 20)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(mkfs, "-q", "-F", img).CombinedOutput(); err != nil {
			t.Fatalf("mkfs.ext4: %v\n%s", err, out)
		}
	} else if src := os.Getenv(Ext4ImageEnv); src != "" {
		if err := copyFile(src, img); err != nil {
			t.Fatalf("%s: %v", Ext4ImageEnv, err)
		}
	} else {
		t.Skipf("mkfs.ext4 (e2fsprogs) is not installed and $%s names no image: no ext4 file system to make", Ext4ImageEnv)
	}
	loop := LoopDeviceOn(t, img)
	mnt := filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount(loop.Path, mnt, "ext4", 0, ""); err != nil {
		t.Fatalf("mount -t ext4 %s: %v", loop.Path, err)
	}
	t.Cleanup(func() { unix.Unmount(mnt, 0) })
	return mnt
}
