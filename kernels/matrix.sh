#!/bin/sh
# The kernel matrix (`make test-kernels`): the live test suite on this
# host's kernel, run directly, and in guests booted under qemu (TCG: KVM
# guests fail on these machines) from an initramfs (kernels/guest.sh):
#   debian61        Debian 6.1 cloud amd64 (kprobes, fentry)
#   debian612       Debian 6.12 cloud amd64, plus a run with its
#                   /sys/kernel/btf/vmlinux hidden (--btf / PROBEBOX_BTF)
#   debian61-arm64  Debian 6.1 cloud arm64 (kprobes; fentry loads but does
#                   not attach)
# One result line per kernel and package; the hooks each applet chose on
# each kernel go to docs/KERNELS.md as a Markdown table (kernels/hooks.sh).
# Exit status 1 on any failure.
#
# Needs (Debian): qemu-system-x86 qemu-system-arm busybox-static cpio
# iproute2 nftables, `dpkg --add-architecture arm64` for the arm64 guest,
# and Debian's archive for the kernel packages (cached in build/kernels).
# KERNELS="host debian61 ..." picks which kernels run; PKGS="applets/x ..."
# which test packages.
set -eu
cd "$(dirname "$0")/.."
work=$(pwd)/build/kernels
mkdir -p "$work"
export CGO_ENABLED=0
KERNELS=${KERNELS:-host debian61 debian612 debian61-arm64}
export KERNELS

# Packages whose tests load BPF programs.
PKGS=${PKGS:-$(go list -f '{{if .TestGoFiles}}{{.ImportPath}}{{end}}' ./applets/... ./core/attach ./core/loader ./core/tracefs |
	sed 's|github.com/probebox/probebox/||' | tr '\n' ' ')}
export PKGS

status=0
: >"$work/results"
for k in $KERNELS; do
	start=$(date +%s)
	if [ "$k" = host ]; then
		sh kernels/host.sh || status=1
	else
		sh kernels/guest.sh "$k" || status=1
	fi
	echo "== $k took $(($(date +%s) - start)) s"
done
sh kernels/hooks.sh >/dev/null || status=1
echo "== summary"
cat "$work/results"
grep -qv ' PASS$' "$work/results" && status=1
exit $status
