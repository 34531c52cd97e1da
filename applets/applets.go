// Package applets is the one list of tools built into probebox: adding a
// tool means adding its package and one import line here.
package applets

import (
	_ "github.com/probebox/probebox/applets/biolatency"
	_ "github.com/probebox/probebox/applets/biopattern"
	_ "github.com/probebox/probebox/applets/biosnoop"
	_ "github.com/probebox/probebox/applets/biostacks"
	_ "github.com/probebox/probebox/applets/biotop"
	_ "github.com/probebox/probebox/applets/bitesize"
	_ "github.com/probebox/probebox/applets/cachestat"
	_ "github.com/probebox/probebox/applets/completion"
	_ "github.com/probebox/probebox/applets/execsnoop"
	_ "github.com/probebox/probebox/applets/features"
	_ "github.com/probebox/probebox/applets/filelife"
	_ "github.com/probebox/probebox/applets/fileslower"
	_ "github.com/probebox/probebox/applets/filetop"
	_ "github.com/probebox/probebox/applets/fsdist"
	_ "github.com/probebox/probebox/applets/fsslower"
	_ "github.com/probebox/probebox/applets/opensnoop"
	_ "github.com/probebox/probebox/applets/readahead"
	_ "github.com/probebox/probebox/applets/runqlat"
	_ "github.com/probebox/probebox/applets/slabratetop"
	_ "github.com/probebox/probebox/applets/syncsnoop"
	_ "github.com/probebox/probebox/applets/tcpaccept"
	_ "github.com/probebox/probebox/applets/tcpconnect"
	_ "github.com/probebox/probebox/applets/tcpretrans"
	_ "github.com/probebox/probebox/applets/tplist"
	_ "github.com/probebox/probebox/applets/trace"
	_ "github.com/probebox/probebox/applets/vfscount"
	_ "github.com/probebox/probebox/applets/vfsstat"
	_ "github.com/probebox/probebox/applets/writeback"
)
