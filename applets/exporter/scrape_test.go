package exporter

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// scraper scrapes one exporter the test started, as Prometheus would.
type scraper struct {
	exp    *child
	url    string
	client *http.Client
}

// startScraper starts the exporter with the collectors (and args) and
// checks that each is up.
func startScraper(t *testing.T, collectors string, args ...string) *scraper {
	t.Helper()
	exp := startExporter(t, nil, append([]string{"-v", "--collectors", collectors}, args...)...)
	s := &scraper{exp: exp, url: "http://" + exp.addr + "/metrics", client: &http.Client{Timeout: livetest.Scaled(5 * time.Second)}}
	samples := s.scrape(t)
	for _, c := range strings.Split(collectors, ",") {
		if up := (sel{"probebox_collector_up", map[string]string{"collector": c}}).sum(samples); up != 1 {
			t.Fatalf("probebox_collector_up{collector=%q} %v; stderr %q", c, up, exp.lines())
		}
	}
	return s
}

func (s *scraper) scrape(t *testing.T) []sample {
	t.Helper()
	return parseText(t, scrapeText(t, s.client, s.url))
}

func (s *scraper) get(t *testing.T, x sel) float64 {
	t.Helper()
	return x.sum(s.scrape(t))
}

// has reports whether a scrape has x at all.
func (s *scraper) has(t *testing.T, x sel) bool {
	t.Helper()
	return x.has(s.scrape(t))
}

// waitFor scrapes until ok says the samples are right, or fails with the
// last explanation after within.
func (s *scraper) waitFor(t *testing.T, within time.Duration, ok func([]sample) (bool, string)) []sample {
	t.Helper()
	within = livetest.Scaled(within)
	deadline := time.Now().Add(within)
	for {
		samples := s.scrape(t)
		good, why := ok(samples)
		if good {
			return samples
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, why)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// atLeast is a waitFor condition: x grew from base by at least want.
func atLeast(x sel, base, want float64) func([]sample) (bool, string) {
	return func(samples []sample) (bool, string) {
		got := x.sum(samples) - base
		return got >= want, fmt.Sprintf("%s grew by %v, want >= %v", x, got, want)
	}
}
