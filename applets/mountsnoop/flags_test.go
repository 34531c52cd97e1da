package mountsnoop

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestMSFlags(t *testing.T) {
	for _, tt := range []struct {
		flags uint64
		want  string
	}{
		{0, "0x0"},
		{unix.MS_NOSUID | unix.MS_NODEV, "MS_NOSUID | MS_NODEV"},
		{unix.MS_REC | unix.MS_PRIVATE, "MS_REC | MS_PRIVATE"},
		{unix.MS_BIND | unix.MS_REC, "MS_BIND | MS_REC"},
		{unix.MS_NOATIME | unix.MS_RDONLY, "MS_RDONLY | MS_NOATIME"},
		{unix.MS_SILENT | unix.MS_MOVE, "MS_MOVE | MS_SILENT"},
		{unix.MS_LAZYTIME | unix.MS_STRICTATIME | unix.MS_RELATIME, "MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME"},
		{unix.MS_MGC_VAL | unix.MS_NOEXEC, "MS_NOEXEC"},
		{1 << 9, "0x200"},
		{1<<40 | unix.MS_NODEV, "MS_NODEV | 0x10000000000"},
	} {
		if got := msFlags(tt.flags); got != tt.want {
			t.Errorf("msFlags(%#x) = %q, want %q", tt.flags, got, tt.want)
		}
	}
}

func TestOtherFlags(t *testing.T) {
	if got := bitNames(unix.MNT_DETACH|unix.UMOUNT_NOFOLLOW, umountNames); got != "MNT_DETACH | UMOUNT_NOFOLLOW" {
		t.Error(got)
	}
	if got := bitNames(unix.MOUNT_ATTR_NOSUID|unix.MOUNT_ATTR_NODEV|0x4000000, attrNames); got != "MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | 0x4000000" {
		t.Error(got)
	}
	if got := bitNames(unix.MOVE_MOUNT_F_EMPTY_PATH, moveMountNames); got != "MOVE_MOUNT_F_EMPTY_PATH" {
		t.Error(got)
	}
	if got := fsconfigCmd(unix.FSCONFIG_CMD_CREATE); got != "FSCONFIG_CMD_CREATE" {
		t.Error(got)
	}
	if retString(-2) != "-ENOENT" || retString(3) != "3" || fdString(unix.AT_FDCWD) != "AT_FDCWD" {
		t.Error("retString/fdString")
	}
}
