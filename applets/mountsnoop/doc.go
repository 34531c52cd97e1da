// Package mountsnoop traces mount(), umount(), fsopen(), fsconfig(),
// fsmount() and move_mount() as libbpf-tools' mountsnoop does: the call
// with its arguments and flags decoded (MS_*, MNT_*, MOUNT_ATTR_*,
// MOVE_MOUNT_*, FSCONFIG_*), the result ("-EPERM" for errors), and the
// caller's mount namespace, so mounts inside containers are told apart.
// -d prints one field per line with the call's latency. Mount flags are
// named from the kernel's values (libbpf-tools' table is shifted for bits
// 9-15 and names MS_REC "MS_VERBOSE").
//
// --json fields: timestamp_ns, pid, tid, comm, mnt_ns, op ("MOUNT",
// "UMOUNT", "FSOPEN", "FSCONFIG", "FSMOUNT", "MOVE_MOUNT"), ret, ret_name,
// latency_us, the op's own fields (source, target, fs, data, flags; fd,
// cmd, key, value, aux; fs_fd, attr_flags; from_dfd, from_path, to_dfd,
// to_path) and flags_raw.
//
// On the development machine (6.18, syscall tracepoints), `unshare -m`
// then a tmpfs mount and umount:
//
//	# mountsnoop
//	COMM             PID     TID     MNT_NS      CALL
//	unshare          879     879     4026532177  mount("none", "/", "", MS_REC | MS_PRIVATE, "") = 0
//	mount            890     890     4026532177  mount("pbxtest", "/tmp/tmp.getq1Zdlbu", "tmpfs", MS_NOSUID, "size=1m") = 0
//	umount           896     896     4026532177  umount("/tmp/tmp.getq1Zdlbu", 0x0) = 0
package mountsnoop
