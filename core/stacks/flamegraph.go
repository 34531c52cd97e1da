package stacks

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"sort"
	"strings"
)

//go:embed flamegraph.js
var flameJS string

// FlameStack is one stack for a flame graph: frame names root first
// (as Format.Folded gives them), kernel marking which are kernel frames.
type FlameStack struct {
	Frames []string
	Kernel []bool
	Value  uint64
}

// FlameOptions are the picture's title and the values' unit.
type FlameOptions struct {
	Title string // "CPU profile: 49 Hz, 10 s"
	Unit  string // "samples", "us"
	Width int    // pixels; 1200 when 0
}

type flameNode struct {
	name     string
	kernel   bool
	value    uint64
	children map[string]*flameNode
}

const (
	frameH   = 16
	padX     = 10
	headerH  = 40
	footerH  = 30
	minFrame = 0.0001 // of the total: narrower frames are left out
)

// WriteFlameGraph writes a self-contained SVG flame graph (no other file
// or program needed: the script is inside): frames are drawn when
// written, so the picture shows without scripts too; the script adds
// zoom, search and details.
func WriteFlameGraph(w io.Writer, stacks []FlameStack, o FlameOptions) error {
	if o.Width == 0 {
		o.Width = 1200
	}
	root := &flameNode{name: "all", children: map[string]*flameNode{}}
	for _, s := range stacks {
		root.value += s.Value
		n := root
		for i, f := range s.Frames {
			key := f
			kernel := i < len(s.Kernel) && s.Kernel[i]
			if kernel {
				key += "\x00k"
			}
			c, ok := n.children[key]
			if !ok {
				c = &flameNode{name: f, kernel: kernel, children: map[string]*flameNode{}}
				n.children[key] = c
			}
			c.value += s.Value
			n = c
		}
	}
	depth := maxDepth(root)
	height := headerH + (depth+1)*frameH + footerH
	total := root.value
	if total == 0 {
		total = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" standalone="no"?>
<svg version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg" data-width="%d" data-total="%d" data-unit="%s">
<style>
text { font-family: Verdana, sans-serif; font-size: 12px; fill: rgb(0,0,0); }
g.f:hover rect { stroke: black; stroke-width: 0.5; cursor: pointer; }
g.f text { pointer-events: none; font-family: monospace; font-size: 12px; }
#unzoom, #search { cursor: pointer; }
</style>
<rect x="0" y="0" width="100%%" height="100%%" fill="rgb(248,248,248)"/>
<text x="%d" y="24" text-anchor="middle" style="font-size:17px">%s</text>
<text id="unzoom" x="%d" y="24" style="opacity:0">Reset Zoom</text>
<text id="search" x="%d" y="24" text-anchor="end">Search</text>
<text id="details" x="%d" y="%d"> </text>
<text id="matched" x="%d" y="%d" text-anchor="end"> </text>
`, o.Width, height, o.Width, height, o.Width, root.value, html.EscapeString(o.Unit),
		o.Width/2, html.EscapeString(o.Title), padX, o.Width-padX,
		padX, height-10, o.Width-padX, height-10)
	usable := float64(o.Width - 2*padX)
	var walk func(n *flameNode, x float64, d int)
	walk = func(n *flameNode, x float64, d int) {
		w := float64(n.value) / float64(total)
		if w < minFrame && d > 0 {
			return
		}
		y := height - footerH - (d+1)*frameH
		fmt.Fprintf(&b, `<g class="f" data-n="%s" data-v="%d" data-x="%.9f" data-w="%.9f" data-d="%d"><title>%s (%d %s, %.2f%%)</title><rect x="%.1f" y="%d" width="%.1f" height="%d" rx="2" fill="%s"/><text x="%.1f" y="%d">%s</text></g>
`, html.EscapeString(n.name), n.value, x, w, d,
			html.EscapeString(n.name), n.value, html.EscapeString(o.Unit), 100*w,
			padX+x*usable, y, w*usable-0.5, frameH-1, color(n),
			padX+x*usable+3, y+frameH-4, html.EscapeString(fitLabel(n.name, w*usable)))
		names := make([]string, 0, len(n.children))
		for k := range n.children {
			names = append(names, k)
		}
		sort.Strings(names) // as flamegraph.pl: alphabetical, not by time
		for _, k := range names {
			c := n.children[k]
			walk(c, x, d+1)
			x += float64(c.value) / float64(total)
		}
	}
	walk(root, 0, 0)
	b.WriteString("<script type=\"text/ecmascript\"><![CDATA[\n")
	b.WriteString(strings.ReplaceAll(flameJS, "]]>", "]] >"))
	b.WriteString("]]></script>\n</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func maxDepth(n *flameNode) int {
	d := 0
	for _, c := range n.children {
		if cd := maxDepth(c) + 1; cd > d {
			d = cd
		}
	}
	return d
}

// fitLabel shortens a name to what a frame of width pixels shows.
func fitLabel(name string, width float64) string {
	n := int((width - 6) / 7)
	switch {
	case n < 3:
		return ""
	case len(name) <= n:
		return name
	}
	return name[:n-2] + ".."
}

// color is flamegraph.pl's idea: warm colors for user code, orange for
// the kernel, the same name always the same shade.
func color(n *flameNode) string {
	h := fnv.New32a()
	h.Write([]byte(n.name))
	v := h.Sum32()
	r1, r2 := float64(v&0xff)/255, float64((v>>8)&0xff)/255
	if n.kernel {
		return fmt.Sprintf("rgb(%d,%d,%d)", 205+int(50*r1), 120+int(60*r2), 40)
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", 205+int(50*r1), int(230*r2), int(55*r1))
}
