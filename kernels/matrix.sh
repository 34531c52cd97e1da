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
# and Debian's archive for the kernel packages (cached in build/kernels);
# gcc, gcc-aarch64-linux-gnu and e2fsprogs for the C test programs and
# the ext4 image (without them those tests skip in the guests, saying so).
# KERNELS="host debian61 ..." picks which kernels run; PKGS="applets/x ..."
# which test packages; RUN="TestA|TestB" which tests (go test -run; all by
# default). internal/reliability, where PKGS names it, runs against the
# probebox built here (PROBEBOX_BINARY), as the guests have no Go.
set -eu
cd "$(dirname "$0")/.."
work=$(pwd)/build/kernels
mkdir -p "$work"
export CGO_ENABLED=0
KERNELS=${KERNELS:-host debian61 debian612 debian61-arm64}
export KERNELS
RUN=${RUN:-.}
export RUN

# Packages whose tests load BPF programs.
PKGS=${PKGS:-$(go list -f '{{if .TestGoFiles}}{{.ImportPath}}{{end}}' ./applets/... ./core/attach ./core/loader ./core/tracefs |
	sed 's|github.com/probebox/probebox/||' | tr '\n' ' ')}
export PKGS

# Each guest runs a share of the packages (emulation is slow: the whole
# suite in every guest takes hours on 2 cores, CI has 45 minutes): 6.1
# amd64 the seed tools and those with fentry/kprobe candidates, 6.12 the
# tracepoint tools, arm64 what differs by architecture. Every package runs
# on the host. The other packages are left out of the guests' shares for
# CI's time budget only: the full run of 2026-12-02 (docs/KERNELS.md, "Full
# matrix run") passed issues 13-16's applet packages in debian61 and
# debian612, after fixes to softirqs' and funcinterval's tests.
# trace is in 6.12's share: its fentry paths and kernel structs from
# the raw BTF against a kernel other than the host's (about 90 s).
# threadsnoop's, gethostlatency's and memleak's user-space tests run
# C programs built here (kernels/lib.sh: the guests have no compiler),
# fsdist's and fsslower's an ext4 image made here; those five are in
# 6.1's share (about 45 s there; the arm64 guest, the longest at about
# 12 minutes, is what the three guests in parallel wait for).
# MATRIX_FULL=1 runs every package in every guest (about 10 minutes per
# 15 packages per guest, one guest at a time); PKGS_<guest>="..." sets
# one guest's share.
if [ "${MATRIX_FULL:-0}" != 1 ]; then
	: "${PKGS_debian61:=core/attach core/loader applets/execsnoop applets/opensnoop applets/biolatency applets/tcpconnect applets/tcpaccept applets/tcpretrans applets/funccount applets/funclatency applets/capable applets/oomkill applets/tcpconnlat applets/filetop applets/stackcount applets/dcsnoop applets/swapin applets/memleak applets/vfscount applets/threadsnoop applets/gethostlatency applets/fsdist applets/fsslower}"
	: "${PKGS_debian612:=applets/features applets/biosnoop applets/syscount applets/exitsnoop applets/sigsnoop applets/bitesize applets/biotop applets/biopattern applets/cachestat applets/offcputime applets/tcplife applets/bindsnoop applets/argdist applets/tcpretrans applets/tcpaccept applets/trace}"
	: "${PKGS_debian61_arm64:=core/attach core/loader applets/execsnoop applets/tcpconnect applets/syscount applets/exitsnoop}"
	export PKGS_debian61 PKGS_debian612 PKGS_debian61_arm64
fi

status=0
: >"$work/results"
. kernels/lib.sh
guests=$(echo " $KERNELS " | sed 's/ host / /')
# Test binaries once per architecture, before anything runs.
for arch in $( (echo " $KERNELS " | grep -q " host " && go env GOARCH; for k in $guests; do guest_arch "$k"; done) | sort -u); do
	# Only what the kernels of this architecture run.
	want=""
	if [ "$arch" = "$(go env GOARCH)" ] && echo " $KERNELS " | grep -q " host "; then
		want=$PKGS
	fi
	for k in $guests; do
		[ "$(guest_arch "$k")" = "$arch" ] || continue
		share=$(eval echo "\${PKGS_$(echo "$k" | tr - _):-}")
		want="$want ${share:-$PKGS}"
	done
	PKGS=$(for p in $PKGS; do case " $want " in *" $p "*) echo "$p" ;; esac; done | tr '\n' ' ') \
		build_tests "$arch" >"$work/built-$arch"
done
export MATRIX_PREBUILT=1
if echo " $KERNELS " | grep -q " host "; then
	start=$(date +%s)
	sh kernels/host.sh || status=1
	echo "== host took $(($(date +%s) - start)) s"
fi
# The guests MATRIX_JOBS at a time (default 3: each TCG guest keeps one
# core busy; three on two cores still end sooner than two after one), each with its own log, printed in order at the end.
jobs=${MATRIX_JOBS:-3}
batch=0
for k in $guests; do
	(
		start=$(date +%s)
		sh kernels/guest.sh "$k" >"$work/matrix-$k.out" 2>&1
		echo "== $k took $(($(date +%s) - start)) s" >>"$work/matrix-$k.out"
	) &
	batch=$((batch + 1))
	if [ $batch -ge "$jobs" ]; then
		wait
		batch=0
	fi
done
wait
for k in $guests; do cat "$work/matrix-$k.out"; done
# The host's hooks belong in the table even when its tests ran elsewhere
# (make test).
go build -trimpath -o "$work/probebox-host" . && "$work/probebox-host" features --json >"$work/features-host.json"
sh kernels/hooks.sh >/dev/null || status=1
echo "== summary"
cat "$work/results"
grep -qv ' PASS$' "$work/results" && status=1
exit $status
