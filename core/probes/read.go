package probes

import (
	"io"
	"strings"
)

func readAll(r io.Reader) string {
	var b strings.Builder
	io.Copy(&b, r)
	return b.String()
}
