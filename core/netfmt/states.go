package netfmt

import "strconv"

// tcpStates names include/net/tcp_states.h's values as bcc and
// libbpf-tools print them.
var tcpStates = [...]string{1: "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"}

// TCP states used by the tools' logic.
const (
	StateEstablished = 1
	StateSynSent     = 2
	StateSynRecv     = 3
	StateClose       = 7
	StateListen      = 10
)

// StateName is the TCP state's name ("ESTABLISHED"), or STATE_<n> for a
// state newer than this table.
func StateName(s int) string {
	if s > 0 && s < len(tcpStates) && tcpStates[s] != "" {
		return tcpStates[s]
	}
	return "STATE_" + strconv.Itoa(s)
}
