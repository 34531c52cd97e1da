#!/bin/sh
# The hook table of the kernel matrix: which hooks each applet chose on
# each kernel that ran (build/kernels/features-*.json), written into
# docs/KERNELS.md and printed.
set -eu
cd "$(dirname "$0")/.."
work=build/kernels
files=""
for k in host debian61 debian612 debian61-arm64; do
	[ -s "$work/features-$k.json" ] && files="$files $work/features-$k.json"
done
[ -n "$files" ] || { echo "no features reports in $work" >&2; exit 1; }
go run ./kernels/hooktable docs/KERNELS.md $files
sed -n '/<!-- hook table/,/<!-- end of hook table/p' docs/KERNELS.md
