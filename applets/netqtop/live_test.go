package netqtop

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// wait bounds a broken setup only; the kernel matrix runs under qemu without
// acceleration, where loading a tool alone can take over 10s.
const wait = 30 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

// vethPair makes a veth pair between two namespaces of the test, with
// queues transmit and receive queues each and a large MTU, IPv6 off (no
// packets of the kernel's own: the counts are the test's frames only),
// and both ends up. It returns the ends' names.
func vethPair(t *testing.T, a, b *livetest.Netns, queues int) (string, string) {
	t.Helper()
	for _, n := range []*livetest.Netns{a, b} {
		n.Do(t, func() {
			for _, f := range []string{"all", "default"} {
				if err := os.WriteFile("/proc/sys/net/ipv6/conf/"+f+"/disable_ipv6", []byte("1"), 0); err != nil && !os.IsNotExist(err) {
					t.Errorf("disabling IPv6 in %s: %v", n.Name, err)
				}
			}
		})
	}
	va, vb := fmt.Sprintf("pbq%06xa", rand.Uint32()&0xffffff), fmt.Sprintf("pbq%06xb", rand.Uint32()&0xffffff)
	q := fmt.Sprint(queues)
	livetest.Run(t, "", "ip", "link", "add", va, "netns", a.Name, "numtxqueues", q, "numrxqueues", q,
		"type", "veth", "peer", "name", vb, "netns", b.Name, "numtxqueues", q, "numrxqueues", q)
	livetest.Run(t, "", "ip", "-n", a.Name, "link", "set", va, "mtu", "20000", "up")
	livetest.Run(t, "", "ip", "-n", b.Name, "link", "set", vb, "mtu", "20000", "up")
	return va, vb
}

// sendFrames sends one Ethernet frame of each size (headers included)
// out of dev in n, to the broadcast address, with the local experimental
// EtherType 0x88b5: no IP, so nothing answers or forwards them.
func sendFrames(t *testing.T, n *livetest.Netns, dev string, sizes []int) {
	t.Helper()
	n.Do(t, func() {
		ifi, err := net.InterfaceByName(dev)
		if err != nil {
			t.Error(err)
			return
		}
		proto := uint16(0x88b5)
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(htons(proto)))
		if err != nil {
			t.Error(err)
			return
		}
		defer unix.Close(fd)
		to := &unix.SockaddrLinklayer{Protocol: htons(proto), Ifindex: ifi.Index, Halen: 6, Addr: [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}
		for _, size := range sizes {
			frame := make([]byte, size)
			copy(frame, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			copy(frame[6:], ifi.HardwareAddr)
			binary.BigEndian.PutUint16(frame[12:], proto)
			if err := unix.Sendto(fd, frame, 0, to); err != nil {
				t.Errorf("sending %d bytes on %s: %v", size, dev, err)
			}
		}
	})
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

type jsonQueue struct {
	Queue          int
	Packets, Bytes uint64
	AvgSize        uint64 `json:"avg_size"`
	Sizes          []struct{ Low, High, Count uint64 }
}

type jsonSide struct {
	Queues []jsonQueue
	Total  jsonQueue
}

type jsonSummary struct {
	TX, RX jsonSide
}

// sum adds up one side over all summaries: the total and each queue's
// packets.
func sum(t *testing.T, tool *livetest.Tool, rx bool) (jsonQueue, []uint64) {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d: %q", status, tool.Stderr())
	}
	var total jsonQueue
	var perQueue []uint64
	for _, l := range tool.Stdout() {
		var s jsonSummary
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		side := s.TX
		if rx {
			side = s.RX
		}
		if perQueue == nil {
			perQueue = make([]uint64, len(side.Queues))
		}
		for i, q := range side.Queues {
			if q.Queue != i {
				t.Fatalf("queue %d listed at %d", q.Queue, i)
			}
			perQueue[i] += q.Packets
		}
		total.Packets += side.Total.Packets
		total.Bytes += side.Total.Bytes
		if total.Sizes == nil {
			total.Sizes = side.Total.Sizes
		} else {
			for i := range total.Sizes {
				total.Sizes[i].Count += side.Total.Sizes[i].Count
			}
		}
	}
	return total, perQueue
}

// TestLiveVethFrames: frames of known sizes sent from one end of a veth
// pair (4 queues each way) between two namespaces of the test: the
// sender's end counts them all as transmitted, each in its size column,
// over its 4 queues; the other end counts them received (their Ethernet
// headers taken off: 14 bytes less each), and the sender's end receives
// nothing.
func TestLiveVethFrames(t *testing.T) {
	livetest.Require(t)
	for _, m := range livetest.TracepointModes {
		t.Run(m.Name, func(t *testing.T) {
			kernel = m.Kernel()
			defer func() { kernel = nil }()
			vethFrames(t, m)
		})
	}
}

func vethFrames(t *testing.T, m livetest.TracepointMode) {
	a, b := livetest.NewNetns(t), livetest.NewNetns(t)
	va, vb := vethPair(t, a, b, 4)
	start := func(n *livetest.Netns, dev string) *livetest.Tool {
		tool := livetest.Start(t, Applet, "-v", "--json", "-i", "0.5", "-n", dev, "--netns", "/run/netns/"+n.Name)
		if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
			tool.Stop()
			t.Fatalf("netqtop did not start: %q", tool.Stderr())
		}
		m.Check(t, tool.Stderr())
		return tool
	}
	sender, receiver := start(a, va), start(b, vb)
	sizes := []int{60, 60, 200, 1000, 1500, 5000, 17000}
	sendFrames(t, a, va, sizes)
	time.Sleep(livetest.Scaled(1500 * time.Millisecond)) // the frames arrive; an interval ends
	tx, txQueues := sum(t, sender, false)
	rxAtSender, _ := sum(t, sender, true)
	rx, rxQueues := sum(t, receiver, true)
	var bytes uint64
	for _, s := range sizes {
		bytes += uint64(s)
	}
	wantSizes := []uint64{2, 1, 2, 1, 1} // [0,64) [64,512) [512,2K) [2K,16K) [16K,..)
	for _, c := range []struct {
		name   string
		q      jsonQueue
		queues []uint64
		bytes  uint64
	}{{va + " TX", tx, txQueues, bytes}, {vb + " RX", rx, rxQueues, bytes - 14*uint64(len(sizes))}} {
		if c.q.Packets != uint64(len(sizes)) || c.q.Bytes != c.bytes || len(c.queues) != 4 {
			t.Errorf("%s: %d packets, %d bytes, %d queues; want %d, %d, 4", c.name, c.q.Packets, c.q.Bytes, len(c.queues), len(sizes), c.bytes)
		}
		var got []uint64
		for _, s := range c.q.Sizes {
			got = append(got, s.Count)
		}
		if fmt.Sprint(got) != fmt.Sprint(wantSizes) {
			t.Errorf("%s: sizes %v, want %v", c.name, got, wantSizes)
		}
		var perQueue uint64
		for _, n := range c.queues {
			perQueue += n
		}
		if perQueue != c.q.Packets {
			t.Errorf("%s: queues %v do not add up to %d", c.name, c.queues, c.q.Packets)
		}
	}
	if rxAtSender.Packets != 0 {
		t.Errorf("%s RX: %d packets, want 0", va, rxAtSender.Packets)
	}
}
