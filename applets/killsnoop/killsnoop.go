// Package killsnoop registers killsnoop: signals sent with kill(),
// tkill() and tgkill(), with the sender, the target and the result. As in
// libbpf-tools it is sigsnoop -k under its own name (applets/sigsnoop).
//
// --json fields are sigsnoop's; source is "kill", "tkill" or "tgkill" and
// result is 0 or -errno (result_name "ok" or the errno's name).
//
// On the development machine (6.18, syscall tracepoints):
//
//	# killsnoop -n
//	TIME     PID     COMM             SIG          TPID    TCOMM            RESULT
//	20:58:37 30206   bash             SIGTERM      30536   sleep            0
//	20:58:37 30206   bash             N/A          999999                   -3
//	20:58:37 30206   bash             SIGUSR1      30537   bash             0
//	20:58:38 30480   timeout          SIGINT       0       killsnoop        0
package killsnoop

import (
	"github.com/probebox/probebox/applets/sigsnoop"
	"github.com/probebox/probebox/core/applet"
)

func init() { applet.Register(Applet) }

// Applet is killsnoop's registration.
var Applet = sigsnoop.Killsnoop
