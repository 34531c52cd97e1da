// Package applets is the one list of tools built into probebox: adding a
// tool means adding its package and one import line here.
package applets

import (
	_ "github.com/probebox/probebox/applets/bindsnoop"
	_ "github.com/probebox/probebox/applets/biolatency"
	_ "github.com/probebox/probebox/applets/biosnoop"
	_ "github.com/probebox/probebox/applets/completion"
	_ "github.com/probebox/probebox/applets/execsnoop"
	_ "github.com/probebox/probebox/applets/features"
	_ "github.com/probebox/probebox/applets/opensnoop"
	_ "github.com/probebox/probebox/applets/runqlat"
	_ "github.com/probebox/probebox/applets/sockstat"
	_ "github.com/probebox/probebox/applets/solisten"
	_ "github.com/probebox/probebox/applets/tcpaccept"
	_ "github.com/probebox/probebox/applets/tcpconnect"
	_ "github.com/probebox/probebox/applets/tcpconnlat"
	_ "github.com/probebox/probebox/applets/tcpdrop"
	_ "github.com/probebox/probebox/applets/tcplife"
	_ "github.com/probebox/probebox/applets/tcpretrans"
	_ "github.com/probebox/probebox/applets/tcprtt"
	_ "github.com/probebox/probebox/applets/tcpstates"
	_ "github.com/probebox/probebox/applets/tcpsynbl"
	_ "github.com/probebox/probebox/applets/tcptop"
	_ "github.com/probebox/probebox/applets/tcptracer"
	_ "github.com/probebox/probebox/applets/tplist"
	_ "github.com/probebox/probebox/applets/trace"
)
