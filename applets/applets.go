// Package applets is the one list of tools built into probebox: adding a
// tool means adding its package and one import line here.
package applets

import (
	_ "github.com/probebox/probebox/applets/argdist"
	_ "github.com/probebox/probebox/applets/biolatency"
	_ "github.com/probebox/probebox/applets/biosnoop"
	_ "github.com/probebox/probebox/applets/completion"
	_ "github.com/probebox/probebox/applets/cpudist"
	_ "github.com/probebox/probebox/applets/cpufreq"
	_ "github.com/probebox/probebox/applets/execsnoop"
	_ "github.com/probebox/probebox/applets/features"
	_ "github.com/probebox/probebox/applets/funccount"
	_ "github.com/probebox/probebox/applets/funcinterval"
	_ "github.com/probebox/probebox/applets/funclatency"
	_ "github.com/probebox/probebox/applets/funcslower"
	_ "github.com/probebox/probebox/applets/hardirqs"
	_ "github.com/probebox/probebox/applets/llcstat"
	_ "github.com/probebox/probebox/applets/opensnoop"
	_ "github.com/probebox/probebox/applets/runqlat"
	_ "github.com/probebox/probebox/applets/runqlen"
	_ "github.com/probebox/probebox/applets/runqslower"
	_ "github.com/probebox/probebox/applets/softirqs"
	_ "github.com/probebox/probebox/applets/tcpaccept"
	_ "github.com/probebox/probebox/applets/tcpconnect"
	_ "github.com/probebox/probebox/applets/tcpretrans"
	_ "github.com/probebox/probebox/applets/tplist"
	_ "github.com/probebox/probebox/applets/trace"
)
