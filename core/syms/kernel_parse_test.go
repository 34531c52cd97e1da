package syms

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestParseKallsymsChunks: the hand-split parser names every symbol
// whether the text is read whole, a byte at a time, or in odd pieces
// (lines cut anywhere); a line longer than any kallsyms line is skipped
// and the one after it kept; a last line without a newline counts.
func TestParseKallsymsChunks(t *testing.T) {
	var b strings.Builder
	const n = 20_000
	for i := 0; i < n; i++ {
		mod := ""
		if i%7 == 0 {
			mod = fmt.Sprintf("\t[mod%d]", i%3)
		}
		fmt.Fprintf(&b, "%016x t sym_%d_%s%s\n", 0xffffffff81000000+uint64(i)*0x40, i, strings.Repeat("x", i%23), mod)
		if i == n/2 {
			b.WriteString("ffffffff80000000 T " + strings.Repeat("y", maxKallsymsLine+10) + "\n")
		}
	}
	b.WriteString("ffffffffc1000000 T last_without_newline")
	text := b.String()
	readers := map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(text) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(text)) },
		"halves":   func() io.Reader { return iotest.HalfReader(strings.NewReader(text)) },
	}
	for name, r := range readers {
		k, err := ParseKallsyms(r())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if k.Len() != n+1 {
			t.Errorf("%s: %d symbols, want %d", name, k.Len(), n+1)
		}
		for _, i := range []int{0, 1, 6, 7, n / 2, n/2 + 1, 12_345, n - 1} {
			s, ok := k.Lookup(0xffffffff81000000 + uint64(i)*0x40 + 5)
			want := fmt.Sprintf("sym_%d_%s+5", i, strings.Repeat("x", i%23))
			if !ok || s.String() != want {
				t.Errorf("%s: symbol %d = %q, want %q", name, i, s.String(), want)
			}
			if wantMod := fmt.Sprintf("mod%d", i%3); i%7 == 0 && s.Module != wantMod {
				t.Errorf("%s: symbol %d module %q, want %q", name, i, s.Module, wantMod)
			}
		}
		if s, _ := k.Lookup(0xffffffffc1000001); s.Name != "last_without_newline" {
			t.Errorf("%s: last line: %q", name, s.Name)
		}
		if _, ok := k.Address(strings.Repeat("y", maxKallsymsLine+10)); ok {
			t.Errorf("%s: the absurd line was kept", name)
		}
	}
}

// A read error ends the parse with it.
func TestParseKallsymsReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("ffffffff81000000 T _stext\n"), iotest.ErrReader(boom))
	if _, err := ParseKallsyms(r); !errors.Is(err, boom) {
		t.Errorf("err %v, want boom", err)
	}
}
