package summary

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/loader"
)

func options(out *bytes.Buffer, drain func() ([]int, error)) Options[int] {
	return Options[int]{
		Tool: "tool", Stdout: out, Stderr: out, Banner: "Tracing... Hit Ctrl-C to end.\n",
		Every: 5 * time.Millisecond, Count: 2, Full: &loader.MapFull{},
		Drain: drain,
		Write: func(b *bytes.Buffer, entries []int, _ []loader.Dropped) { fmt.Fprintf(b, "summary %v\n", entries) },
	}
}

func TestBannerThenSummaries(t *testing.T) {
	var out bytes.Buffer
	n := 0
	err := Run(context.Background(), options(&out, func() ([]int, error) { n++; return []int{n}, nil }))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Tracing... Hit Ctrl-C to end.\nsummary [1]\nsummary [2]\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestJSONHasNoBanner(t *testing.T) {
	var out bytes.Buffer
	o := options(&out, func() ([]int, error) { return nil, nil })
	o.JSON = true
	if err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Tracing") {
		t.Errorf("banner printed with --json: %q", out.String())
	}
}

func TestDrainError(t *testing.T) {
	var out bytes.Buffer
	boom := errors.New("boom")
	if err := Run(context.Background(), options(&out, func() ([]int, error) { return nil, boom })); !errors.Is(err, boom) {
		t.Errorf("err %v, want %v", err, boom)
	}
}
