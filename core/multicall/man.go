package multicall

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/manpage"
)

// writeManPages writes probebox.8 and NAME.8 for every applet into dir
// (used by `make`; not a user-facing option).
func writeManPages(dir string, s applet.Streams) int {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(s.Stderr, "probebox: %v\n", err)
		return 1
	}
	date := time.Now().UTC().Format("2006-01-02")
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		var sec int64
		fmt.Sscan(epoch, &sec)
		date = time.Unix(sec, 0).UTC().Format("2006-01-02")
	}
	write := func(name string, fn func(*os.File) error) error {
		f, err := os.Create(filepath.Join(dir, name+".8"))
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	err := write("probebox", func(f *os.File) error { return manpage.Probebox(f, applet.All(), Version, date) })
	for _, a := range applet.All() {
		name := a.Name
		if a.NoLink {
			name = "probebox-" + name // reached as `probebox NAME`, like git's pages
		}
		if err == nil {
			err = write(name, func(f *os.File) error { return manpage.Applet(f, a, Version, date) })
		}
	}
	if err != nil {
		fmt.Fprintf(s.Stderr, "probebox: writing man pages: %v\n", err)
		return 1
	}
	return 0
}
