package mountsnoop

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// msNames are mount(2) flag bits 0-31 as <linux/mount.h> names them; bit
// 9 has no name. (libbpf-tools' table is off by one from bit 9 to 15 and
// prints MS_REC as MS_VERBOSE; these follow the kernel's values.)
var msNames = [32]string{
	"MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_SYNCHRONOUS", "MS_REMOUNT",
	"MS_MANDLOCK", "MS_DIRSYNC", "MS_NOSYMFOLLOW", "", "MS_NOATIME", "MS_NODIRATIME", "MS_BIND",
	"MS_MOVE", "MS_REC", "MS_SILENT", "MS_POSIXACL", "MS_UNBINDABLE",
	"MS_PRIVATE", "MS_SLAVE", "MS_SHARED", "MS_RELATIME", "MS_KERNMOUNT", "MS_I_VERSION",
	"MS_STRICTATIME", "MS_LAZYTIME", "MS_SUBMOUNT", "MS_NOREMOTELOCK", "MS_NOSEC", "MS_BORN",
	"MS_ACTIVE", "MS_NOUSER",
}

type named struct {
	value uint64
	name  string
}

var (
	umountNames    = []named{{1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"}}
	fsopenNames    = []named{{1, "FSOPEN_CLOEXEC"}}
	fsmountNames   = []named{{1, "FSMOUNT_CLOEXEC"}}
	attrNames      = []named{{0x1, "MOUNT_ATTR_RDONLY"}, {0x2, "MOUNT_ATTR_NOSUID"}, {0x4, "MOUNT_ATTR_NODEV"}, {0x8, "MOUNT_ATTR_NOEXEC"}, {0x10, "MOUNT_ATTR_NOATIME"}, {0x20, "MOUNT_ATTR_STRICTATIME"}, {0x80, "MOUNT_ATTR_NODIRATIME"}, {0x100000, "MOUNT_ATTR_IDMAP"}, {0x200000, "MOUNT_ATTR_NOSYMFOLLOW"}}
	moveMountNames = []named{{0x1, "MOVE_MOUNT_F_SYMLINKS"}, {0x2, "MOVE_MOUNT_F_AUTOMOUNTS"}, {0x4, "MOVE_MOUNT_F_EMPTY_PATH"}, {0x10, "MOVE_MOUNT_T_SYMLINKS"}, {0x20, "MOVE_MOUNT_T_AUTOMOUNTS"}, {0x40, "MOVE_MOUNT_T_EMPTY_PATH"}, {0x100, "MOVE_MOUNT_SET_GROUP"}, {0x200, "MOVE_MOUNT_BENEATH"}}
	fsconfigCmds   = []string{"FSCONFIG_SET_FLAG", "FSCONFIG_SET_STRING", "FSCONFIG_SET_BINARY", "FSCONFIG_SET_PATH", "FSCONFIG_SET_PATH_EMPTY", "FSCONFIG_SET_FD", "FSCONFIG_CMD_CREATE", "FSCONFIG_CMD_RECONFIGURE", "FSCONFIG_CMD_CREATE_EXCL"}
)

// msFlags names mount(2) flags: "MS_NOSUID | MS_NODEV", "0x0" for none.
// The top 16 bits of a legacy MS_MGC_VAL magic are ignored, as the kernel
// does.
func msFlags(flags uint64) string {
	if flags&0xffff0000 == 0xc0ed0000 {
		flags &^= 0xffff0000
	}
	if flags == 0 {
		return "0x0"
	}
	var parts []string
	rest := flags
	for i, n := range msNames {
		if flags&(1<<i) != 0 && n != "" {
			parts = append(parts, n)
			rest &^= 1 << i
		}
	}
	if rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(rest, 16))
	}
	return strings.Join(parts, " | ")
}

// bitNames names the bits of flags from table; unnamed bits as hex.
func bitNames(flags uint64, table []named) string {
	if flags == 0 {
		return "0x0"
	}
	var parts []string
	rest := flags
	for _, n := range table {
		if flags&n.value != 0 {
			parts = append(parts, n.name)
			rest &^= n.value
		}
	}
	if rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(rest, 16))
	}
	return strings.Join(parts, " | ")
}

func fsconfigCmd(cmd int32) string {
	if cmd >= 0 && int(cmd) < len(fsconfigCmds) {
		return fsconfigCmds[cmd]
	}
	return "UNKNOWN"
}

// retString is the result as the peer prints it: "0", an fd, or "-ENOENT".
func retString(ret int32) string {
	if ret >= 0 {
		return strconv.Itoa(int(ret))
	}
	if n := unix.ErrnoName(unix.Errno(-ret)); n != "" {
		return "-" + n
	}
	return strconv.Itoa(int(ret))
}

func fdString(fd int32) string {
	if fd == unix.AT_FDCWD {
		return "AT_FDCWD"
	}
	return strconv.Itoa(int(fd))
}
