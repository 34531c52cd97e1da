package exporter

import (
	"slices"
	"testing"
)

func TestBoundedLabel(t *testing.T) {
	b := newBoundedLabel(2)
	// First scrape: the two largest keep their series.
	got := b.bound([]labelCount{{"22", 1}, {"443", 50}, {"80", 9}})
	want := []labelCount{{"443", 50}, {"80", 9}, {"other", 1}}
	if !slices.Equal(got, want) {
		t.Errorf("first scrape %v, want %v", got, want)
	}
	// Later, 22 grows past them: kept values stay kept, so every series
	// only grows.
	got = b.bound([]labelCount{{"22", 100}, {"443", 51}, {"80", 9}, {"8080", 3}})
	want = []labelCount{{"443", 51}, {"80", 9}, {"other", 103}}
	if !slices.Equal(got, want) {
		t.Errorf("second scrape %v, want %v", got, want)
	}
}

func TestTallyDecode(t *testing.T) {
	key := make([]byte, tallyKeySize)
	copy(key, []byte{127, 0, 0, 1})
	key[16], key[17] = afInet, 0 // little endian af
	key[18], key[19] = 0xbb, 0x01
	key[20] = 1
	s := &tallySource{family: true, portLbl: "remote_port", addrLbl: "remote_addr"}
	r := s.decode(key, 7)
	if r.kind != 1 || r.family != "ipv4" || r.port != "443" || r.addr != "127.0.0.1" || r.n != 7 {
		t.Errorf("decoded %+v", r)
	}
	key6 := make([]byte, tallyKeySize)
	key6[15] = 1 // ::1
	key6[16] = afInet6
	r = (&tallySource{family: true, addrLbl: "remote_addr"}).decode(key6, 1)
	if r.family != "ipv6" || r.addr != "::1" || r.port != "" {
		t.Errorf("decoded %+v", r)
	}
}
