package reliability

// What the reliability tests need to know about the network tools of the
// net branch (tcpsubnet, tcpcong, sofdsnoop, netqtop), kept here rather
// than in the shared tables.
func init() {
	summaryOnly["tcpsubnet"] = true
	summaryOnly["tcpcong"] = true
}

func init() {
	observeArgs["netqtop"] = []string{"-n", "lo"}
	summaryOnly["netqtop"] = true
}
