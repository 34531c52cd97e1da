//go:build !cgo

package exporter

const cgoBuild = false
