package stacks

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium finds a headless-capable browser, or skips: the test kernels'
// guests and minimal CI images have none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium to render the flame graph in (apt-get install chromium)")
	return ""
}

func headless(t *testing.T, browser string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	if os.Geteuid() == 0 {
		base = append(base, "--no-zygote")
	}
	out, err := exec.CommandContext(ctx, browser, append(base, args...)...).Output()
	if err != nil {
		t.Fatalf("%s %q: %v", browser, args, err)
	}
	return string(out)
}

// TestFlameGraphInBrowser opens the SVG in headless Chromium: the script
// runs (data-ready), the frames' names are in the rendered page, a
// #zoom= link zooms (frames outside the zoomed one are hidden, the zoomed
// one spans the width), #search= highlights, and a screenshot is taken.
func TestFlameGraphInBrowser(t *testing.T) {
	browser := chromium(t)
	var b bytes.Buffer
	o := Format{}
	var fs []FlameStack
	for _, s := range o.Merge(samples()) {
		frames := o.Folded(s)
		kernel := make([]bool, len(frames))
		fs = append(fs, FlameStack{Frames: frames, Kernel: kernel, Value: s.Value})
	}
	if err := WriteFlameGraph(&b, fs, FlameOptions{Title: "browser test", Unit: "samples"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "flame.svg")
	os.WriteFile(path, b.Bytes(), 0o644)

	// One page load for the DOM (a browser start is seconds on a busy
	// machine): zoomed into main.main, searching for "burn".
	dom := headless(t, browser, "--dump-dom", "file://"+path+"#zoom=main.main&search=burn")
	if !strings.Contains(dom, `data-ready="1"`) {
		t.Fatalf("the flame graph's script did not run:\n%.2000s", dom)
	}
	for _, name := range []string{"main.burn", "main.main", "finish_task_switch", "app"} {
		if !regexp.MustCompile(`<text[^>]*>` + regexp.QuoteMeta(name) + `</text>`).MatchString(dom) {
			t.Errorf("frame %s is not drawn in the rendered page", name)
		}
	}
	if !regexp.MustCompile(`<g class="f" data-n="kworker/0:1"[^>]*style="display: none;"`).MatchString(dom) {
		t.Error("zoomed into main.main, another process's frame is still shown")
	}
	full := regexp.MustCompile(`<g class="f" data-n="main.main"[^>]*><title>[^<]*</title><rect x="10" y="[0-9.]+" width="1179.5"`)
	if !full.MatchString(dom) {
		t.Errorf("zoomed frame does not span the width:\n%s", regexp.MustCompile(`<g class="f" data-n="main.main".{0,300}`).FindString(dom))
	}
	if !strings.Contains(dom, `fill="rgb(230,0,230)"`) || !strings.Contains(dom, "Matched: ") {
		t.Error("#search=burn highlighted nothing")
	}

	shot := filepath.Join(t.TempDir(), "flame.png")
	headless(t, browser, "--screenshot="+shot, "--window-size=1200,400", "file://"+path)
	if st, err := os.Stat(shot); err != nil || st.Size() < 5000 {
		t.Errorf("no screenshot: %v", err)
	}
}
