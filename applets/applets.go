// Package applets is the one list of tools built into probebox: adding a
// tool means adding its package and one import line here.
package applets

import (
	_ "github.com/probebox/probebox/applets/biolatency"
	_ "github.com/probebox/probebox/applets/biosnoop"
	_ "github.com/probebox/probebox/applets/completion"
	_ "github.com/probebox/probebox/applets/execsnoop"
	_ "github.com/probebox/probebox/applets/features"
	_ "github.com/probebox/probebox/applets/offcputime"
	_ "github.com/probebox/probebox/applets/offwaketime"
	_ "github.com/probebox/probebox/applets/opensnoop"
	_ "github.com/probebox/probebox/applets/profile"
	_ "github.com/probebox/probebox/applets/runqlat"
	_ "github.com/probebox/probebox/applets/stackcount"
	_ "github.com/probebox/probebox/applets/tcpaccept"
	_ "github.com/probebox/probebox/applets/tcpconnect"
	_ "github.com/probebox/probebox/applets/tcpretrans"
	_ "github.com/probebox/probebox/applets/tplist"
	_ "github.com/probebox/probebox/applets/trace"
	_ "github.com/probebox/probebox/applets/wakeuptime"
)
