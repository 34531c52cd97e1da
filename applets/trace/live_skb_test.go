package trace

import (
	"bytes"
	"encoding/binary"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// TestLiveSkbOutput: skboutput() writes the packets ip_rcv() receives to
// a pcap file; the test's own UDP datagrams to 127.0.0.1 are in it, each
// starting at its IPv4 header, with its payload. Without fentry the
// program is refused (status 1, naming fentry), as path() is.
func TestLiveSkbOutput(t *testing.T) {
	livetest.Require(t)
	file := filepath.Join(t.TempDir(), "rcv.pcap")
	program := `kfunc:ip_rcv { skboutput("` + file + `", args->skb, args->skb->len, 0); }`
	if refusedWithoutFentry(t, program) {
		return
	}
	srv, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tool := startTrace(t, program)
	payload := []byte("probebox-skboutput-test")
	c, err := net.DialUDP("udp4", nil, srv.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.Write(payload); err != nil {
			t.Fatal(err)
		}
		srv.SetReadDeadline(time.Now().Add(wait))
		if _, _, err := srv.ReadFromUDP(make([]byte, 64)); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	stopAndOutput(t, tool)
	linktype, packets := readPcap(t, file)
	if linktype != linktypeRaw {
		t.Errorf("link type %d, want %d (raw IP)", linktype, linktypeRaw)
	}
	ours := 0
	for _, p := range packets {
		if bytes.Contains(p, payload) {
			ours++
			if p[0] != 0x45 || p[9] != 17 {
				t.Errorf("packet % x does not start with an IPv4 UDP header", p[:min(len(p), 20)])
			}
		}
	}
	if ours != 3 {
		t.Errorf("%d of the test's 3 datagrams in %d captured packets", ours, len(packets))
	}
}

// readPcap reads a pcap file written in this machine's byte order.
func readPcap(t *testing.T, path string) (linktype uint32, packets [][]byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ne := binary.NativeEndian
	if len(b) < 24 || ne.Uint32(b) != 0xa1b2c3d4 {
		t.Fatalf("%s: no pcap header: % x", path, b[:min(len(b), 24)])
	}
	linktype = ne.Uint32(b[20:])
	for b = b[24:]; len(b) >= 16; {
		n := int(ne.Uint32(b[8:]))
		if len(b) < 16+n {
			t.Fatalf("%s: a record of %d bytes with %d left", path, n, len(b)-16)
		}
		packets = append(packets, b[16:16+n])
		b = b[16+n:]
	}
	return linktype, packets
}
