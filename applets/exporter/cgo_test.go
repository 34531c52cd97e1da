//go:build cgo

package exporter

// cgoBuild: the test binary (and so the exporter it runs) uses cgo, and
// cannot drop capabilities on every thread.
const cgoBuild = true
