// Package applets is the one list of tools built into probebox: adding a
// tool means adding its package and one import line here.
package applets

import (
	_ "github.com/probebox/probebox/applets/biolatency"
	_ "github.com/probebox/probebox/applets/biosnoop"
	_ "github.com/probebox/probebox/applets/capable"
	_ "github.com/probebox/probebox/applets/completion"
	_ "github.com/probebox/probebox/applets/drsnoop"
	_ "github.com/probebox/probebox/applets/execsnoop"
	_ "github.com/probebox/probebox/applets/exitsnoop"
	_ "github.com/probebox/probebox/applets/features"
	_ "github.com/probebox/probebox/applets/killsnoop"
	_ "github.com/probebox/probebox/applets/mountsnoop"
	_ "github.com/probebox/probebox/applets/oomkill"
	_ "github.com/probebox/probebox/applets/opensnoop"
	_ "github.com/probebox/probebox/applets/pidpersec"
	_ "github.com/probebox/probebox/applets/runqlat"
	_ "github.com/probebox/probebox/applets/setuids"
	_ "github.com/probebox/probebox/applets/sigsnoop"
	_ "github.com/probebox/probebox/applets/statsnoop"
	_ "github.com/probebox/probebox/applets/syscount"
	_ "github.com/probebox/probebox/applets/tcpaccept"
	_ "github.com/probebox/probebox/applets/tcpconnect"
	_ "github.com/probebox/probebox/applets/tcpretrans"
	_ "github.com/probebox/probebox/applets/tplist"
	_ "github.com/probebox/probebox/applets/trace"
)
