package exporter

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// TestLiveTCPSessions: n loopback sessions, each held 300 ms, the client
// sending 3000 bytes and the server 70000, close on both ends: 2n closed
// sockets in the IPv4 histograms, the lifespans in (0.25, 0.5] s, 3000
// bytes in (2048, 4096] and 70000 in (65536, 131072] each way (the
// machine's own sessions only add).
func TestLiveTCPSessions(t *testing.T) {
	s := startScraper(t, "tcplife")
	const n, hold = 4, 300 * time.Millisecond
	v4 := map[string]string{"family": "ipv4"}
	dir := func(d string) map[string]string { return map[string]string{"family": "ipv4", "direction": d} }
	// A bucket's own count: le=hi minus le=lo.
	type band struct {
		what   string
		lo, hi sel
		want   float64
	}
	bands := []band{
		{"lifespans in (0.25, 0.5] s", hist("probebox_tcp_session_duration_seconds", "0.25", v4), hist("probebox_tcp_session_duration_seconds", "0.5", v4), 2 * n},
		{"3000 bytes sent", hist("probebox_tcp_session_bytes", "2048", dir("sent")), hist("probebox_tcp_session_bytes", "4096", dir("sent")), n},
		{"70000 bytes sent", hist("probebox_tcp_session_bytes", "65536", dir("sent")), hist("probebox_tcp_session_bytes", "131072", dir("sent")), n},
		{"3000 bytes received", hist("probebox_tcp_session_bytes", "2048", dir("received")), hist("probebox_tcp_session_bytes", "4096", dir("received")), n},
		{"70000 bytes received", hist("probebox_tcp_session_bytes", "65536", dir("received")), hist("probebox_tcp_session_bytes", "131072", dir("received")), n},
	}
	count := sel{"probebox_tcp_session_duration_seconds_count", v4}
	spanSum := sel{"probebox_tcp_session_duration_seconds_sum", v4}
	a := s.scrape(t)
	if !count.has(a) {
		t.Fatalf("no %s before any session (rate() needs the 0)", count)
	}

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func() { // server
			defer wg.Done()
			c, err := ln.Accept()
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			if _, err := io.ReadFull(c, make([]byte, 3000)); err != nil {
				errs <- err
				return
			}
			if _, err := c.Write(make([]byte, 70000)); err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, c) // until the client's FIN
		}()
		go func() { // client
			defer wg.Done()
			c, err := net.Dial("tcp4", ln.Addr().String())
			if err != nil {
				errs <- err
				return
			}
			start := time.Now()
			if _, err := c.Write(make([]byte, 3000)); err != nil {
				errs <- err
			} else if _, err := io.ReadFull(c, make([]byte, 70000)); err != nil {
				errs <- err
			}
			time.Sleep(hold - time.Since(start))
			c.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	b := s.waitFor(t, 10*time.Second, atLeast(count, count.sum(a), 2*n))
	for _, x := range bands {
		if got := (x.hi.sum(b) - x.lo.sum(b)) - (x.hi.sum(a) - x.lo.sum(a)); got < x.want {
			t.Errorf("%s: the bucket grew by %v, want >= %v", x.what, got, x.want)
		}
	}
	if got := spanSum.sum(b) - spanSum.sum(a); got < 2*n*hold.Seconds() {
		t.Errorf("%s grew by %v s, want >= %v", spanSum, got, 2*n*hold.Seconds())
	}
}

// has reports whether samples hold a series s selects.
func (s sel) has(samples []sample) bool {
	for _, x := range samples {
		if x.name != s.name {
			continue
		}
		match := true
		for k, v := range s.labels {
			if x.labels[k] != v {
				match = false
			}
		}
		if match {
			return true
		}
	}
	return false
}
