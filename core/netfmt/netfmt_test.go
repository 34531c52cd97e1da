package netfmt

import (
	"strings"
	"testing"
)

func addr16(b ...byte) []byte {
	out := make([]byte, 16)
	copy(out, b)
	return out
}

func set(b []byte, i int, v byte) []byte {
	b[i] = v
	return b
}

func TestAppendAddr(t *testing.T) {
	mapped := addr16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1)
	for _, tt := range []struct {
		af   uint16
		b    []byte
		want string
	}{
		{AFInet, addr16(127, 0, 0, 1), "127.0.0.1"},
		{AFInet, addr16(10, 1, 2, 3, 9, 9, 9), "10.1.2.3"}, // bytes past 4 ignored
		{AFInet6, set(addr16(), 15, 1), "::1"},
		{AFInet6, mapped, "::ffff:127.0.0.1"},
		{AFInet6, set(addr16(0xfe, 0x80), 15, 0x2a), "fe80::2a"},
		{1, addr16(1), "?"},
		{AFInet6, []byte{1, 2}, "?"},
	} {
		if got := string(AppendAddr([]byte("x "), tt.af, tt.b)); got != "x "+tt.want {
			t.Errorf("AppendAddr(%d, %v) = %q, want %q", tt.af, tt.b, got, "x "+tt.want)
		}
	}
	if IPVersion(AFInet) != 4 || IPVersion(AFInet6) != 6 || IPVersion(1) != 0 {
		t.Error("IPVersion")
	}
}

func TestParsePorts(t *testing.T) {
	p, err := ParsePorts("80,443, 8080", 4)
	if err != nil || len(p) != 3 || p[0] != 80 || p[1] != 443 || p[2] != 8080 {
		t.Fatalf("got %v, %v", p, err)
	}
	for _, bad := range []string{"", "0", "65536", "80,", "x", "-1", "1,2,3,4,5"} {
		if _, err := ParsePorts(bad, 4); err == nil {
			t.Errorf("%q accepted", bad)
		} else if !strings.Contains(err.Error(), "port") {
			t.Errorf("%q: unhelpful error %v", bad, err)
		}
	}
}

func TestStateName(t *testing.T) {
	for s, want := range map[int]string{1: "ESTABLISHED", 2: "SYN_SENT", 7: "CLOSE", 10: "LISTEN", 12: "NEW_SYN_RECV", 0: "STATE_0", 13: "STATE_13", -1: "STATE_-1"} {
		if got := StateName(s); got != want {
			t.Errorf("StateName(%d) = %q, want %q", s, got, want)
		}
	}
}

func TestPortConsts(t *testing.T) {
	m := map[string]any{}
	PortConsts(m, "filter_lports", nil)
	if len(m) != 0 {
		t.Errorf("empty list set %v", m)
	}
	PortConsts(m, "filter_lports", []uint16{80, 443})
	list, ok := m["filter_lports"].([MaxPorts]uint16)
	if !ok || list[0] != 80 || list[1] != 443 || list[2] != 0 || m["filter_lports_len"] != uint32(2) {
		t.Errorf("consts %v", m)
	}
}

func TestSetStateCandidates(t *testing.T) {
	c := SetStateCandidates("why")
	if len(c) != 3 || c[0].Attach[0].Program != "btf_set_state" || c[1].Attach[0].Program != "raw_set_state" ||
		c[2].Attach[0].Program != "tp_set_state" || c[2].Attach[0].Group != "sock" || c[2].Limits != "why" {
		t.Errorf("candidates %+v", c)
	}
}
