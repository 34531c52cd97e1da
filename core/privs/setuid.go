package privs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrSetuid is the reason probebox refuses to run set-user-ID or with
// mismatched real and effective IDs: a tracer running with privileges its
// caller does not have would let any user read every process's arguments,
// file names and connections.
var ErrSetuid = errors.New("refusing to run")

// Identity is what CheckIdentity looks at; Current reads the real values.
type Identity struct {
	UID, EUID, GID, EGID int
	ExeMode              fs.FileMode // mode of the running binary; 0 when unknown
	Exe                  string
}

// Current is this process's identity.
func Current() Identity {
	id := Identity{UID: os.Getuid(), EUID: os.Geteuid(), GID: os.Getgid(), EGID: os.Getegid()}
	if exe, err := os.Executable(); err == nil {
		id.Exe = exe
		if fi, err := os.Stat(exe); err == nil {
			id.ExeMode = fi.Mode()
		}
	}
	return id
}

// CheckIdentity refuses a set-user-ID or set-group-ID installation, and
// any process whose real and effective user or group IDs differ (however
// that came about), before any argument is looked at.
func CheckIdentity(id Identity) error {
	switch {
	case id.ExeMode&fs.ModeSetuid != 0:
		return fmt.Errorf("%w: %s is installed set-user-ID; a setuid tracer lets any user read every process's arguments and files (remove the bit: chmod u-s %s, and run it with sudo)", ErrSetuid, id.Exe, id.Exe)
	case id.ExeMode&fs.ModeSetgid != 0:
		return fmt.Errorf("%w: %s is installed set-group-ID; that lets any user of the group trace every process (remove the bit: chmod g-s %s)", ErrSetuid, id.Exe, id.Exe)
	case id.UID != id.EUID:
		return fmt.Errorf("%w: real user ID %d differs from effective user ID %d (setuid?); a tracer must run as the user who asked for it (use sudo)", ErrSetuid, id.UID, id.EUID)
	case id.GID != id.EGID:
		return fmt.Errorf("%w: real group ID %d differs from effective group ID %d (setgid?); run it with sudo instead", ErrSetuid, id.GID, id.EGID)
	}
	return nil
}
