#!/bin/sh
# The kernel matrix (`make test-kernels`): the live test suite on this
# host's kernel, run directly, and on Debian's 6.1 cloud kernel booted
# under qemu (TCG: KVM guests fail on these machines) from an initramfs
# holding a static busybox, the static test binaries with their testdata,
# probebox, iproute2 and nftables with their libraries, and the kernel
# modules the tests need (loop, nf_tables). One result line per kernel and
# package; exit status 1 on any failure.
#
# Needs (Debian): qemu-system-x86 busybox-static cpio iproute2 nftables,
# and Debian's archive for the kernel package (cached in build/kernels).
# KERNELS="host debian61" picks which kernels run; PKGS="applets/x ..." which
# test packages.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
work=$root/build/kernels
mkdir -p "$work"
export CGO_ENABLED=0
KERNELS=${KERNELS:-host debian61}

status=0
report() { # kernel what result
	printf '%-30s %-36s %s\n' "$1" "$2" "$3"
	[ "$3" = PASS ] || status=1
}

# Packages whose tests load BPF programs.
# PKGS="applets/biolatency ..." narrows the run to those.
pkgs=${PKGS:-$(go list -f '{{if .TestGoFiles}}{{.ImportPath}}{{end}}' ./applets/... ./core/attach ./core/tracefs |
	sed 's|github.com/probebox/probebox/||' | tr '\n' ' ')}

echo "== building static test binaries"
rm -rf "$work/t" && mkdir -p "$work/t"
built=""
for p in $pkgs; do
	mkdir -p "$work/t/$p"
	if ! go test -c -trimpath -o "$work/t/$p/pkg.test" "./$p"; then
		report build "$p" FAIL
		continue
	fi
	built="$built $p"
	[ -d "$p/testdata" ] && cp -r "$p/testdata" "$work/t/$p/"
	# trace's corpus lives under lang/testdata.
	[ -d "$p/lang/testdata" ] && mkdir -p "$work/t/$p/lang" && cp -r "$p/lang/testdata" "$work/t/$p/lang/"
done
go build -trimpath -o "$work/probebox" .
# trace's uprobe tests trace a program they build; the guest has no Go.
go build -trimpath -o "$work/t/uprobe/target" ./applets/trace/testdata/target

logname() { echo "$work/$1-$(echo "$2" | tr / _).log"; }

if echo "$KERNELS" | grep -qw host; then
	kernel="host $(uname -r)"
	echo "== $kernel"
	for p in $built; do
		log=$(logname host "$p")
		if (cd "$work/t/$p" && PROBEBOX_LIVE=1 ./pkg.test -test.short -test.timeout 15m >"$log" 2>&1); then
			report "$kernel" "$p" PASS
		else
			report "$kernel" "$p" FAIL
			tail -20 "$log"
		fi
	done
fi

echo "$KERNELS" | grep -qw debian61 || exit $status

echo "== Debian 6.1 cloud kernel under qemu"
kdir=$work/debian61
if [ ! -f "$kdir/vmlinuz" ]; then
	rm -rf "$kdir" && mkdir -p "$kdir"
	pkg=$(apt-cache search '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' | awk '{print $1}' | sort -t- -k4 -n | tail -1)
	[ -n "$pkg" ] || { echo "no linux-image-6.1.0-*-cloud-amd64-unsigned in the apt cache: apt-get update" >&2; exit 1; }
	(cd "$kdir" && apt-get download "$pkg" >/dev/null && dpkg-deb -x ./*.deb root)
	basename "$kdir"/root/boot/vmlinuz-* | sed 's/vmlinuz-//' >"$kdir/release.tmp"
	cp "$kdir"/root/boot/vmlinuz-* "$kdir/vmlinuz.tmp"
	mv "$kdir/release.tmp" "$kdir/release" && mv "$kdir/vmlinuz.tmp" "$kdir/vmlinuz"
fi
release=$(cat "$kdir/release")
moddir=$kdir/root/lib/modules/$release

init=$work/initramfs
rm -rf "$init" && mkdir -p "$init/bin" "$init/sbin" "$init/usr/sbin" "$init/proc" "$init/sys" \
	"$init/dev" "$init/tmp" "$init/etc" "$init/run" "$init/var/run" "$init/mod"
cp /bin/busybox "$init/bin/busybox"
cp "$work/probebox" "$init/probebox"
cp -r "$work/t" "$init/t"
# EXTRA=FILE: a shell script the guest runs after the tests (debugging).
[ -n "${EXTRA:-}" ] && cp "$EXTRA" "$init/extra.sh"

# Real ip and nft (the tests use netns and nftables features busybox lacks),
# with the shared libraries they load.
copy_dynamic() {
	for f in "$@"; do
		cp -L "$f" "$init/usr/sbin/"
		ldd "$f" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
			[ -f "$lib" ] || continue
			mkdir -p "$init$(dirname "$lib")"
			cp -L "$lib" "$init$lib"
		done
	done
}
copy_dynamic "$(command -v ip)" "$(command -v nft)" "$(command -v losetup)"
mkdir -p "$init/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$init/lib64/"

# Modules with their dependencies first (read from each .ko's modinfo
# section: the package has no modules.dep and depmod may be missing).
modules=""
add_module() {
	local ko dep
	case " $modules " in *" $1.ko "*) return ;; esac
	ko=$(find "$moddir" -name "$1.ko" -o -name "$(echo "$1" | tr _ -).ko" | head -1)
	[ -n "$ko" ] || { echo "module $1 not in $release" >&2; exit 1; }
	for dep in $(tr '\0' '\n' <"$ko" | sed -n 's/^depends=//p' | tr , ' '); do
		add_module "$dep"
	done
	cp "$ko" "$init/mod/$1.ko"
	modules="$modules $1.ko"
}
for m in loop nf_tables inet_diag tcp_diag udp_diag unix_diag; do add_module $m; done

cat >"$init/etc/passwd" <<'EOF'
root:x:0:0:root:/:/bin/sh
nobody:x:65534:65534:nobody:/:/bin/sh
EOF
echo "nogroup:x:65534:" >"$init/etc/group"
cat >"$init/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
for m in $modules; do insmod /mod/\$m || echo "insmod \$m failed"; done
ip link set lo up
echo "PBX-KERNEL \$(uname -r)"
for p in $built; do
	cd /t/\$p
	if PROBEBOX_LIVE=1 PROBEBOX_TEST_TARGET=/t/uprobe/target TMPDIR=/tmp timeout 1500 ./pkg.test -test.short -test.timeout 20m >/tmp/log 2>&1; then
		echo "PBX-RESULT \$p PASS"
	else
		echo "PBX-RESULT \$p FAIL"
		tail -30 /tmp/log
	fi
done
cd /
[ -f /extra.sh ] && sh /extra.sh
echo PBX-FEATURES-BEGIN
/probebox features
echo PBX-FEATURES-END
# trace's kprobe path: this kernel has kprobes, the host may not.
if /probebox trace -e 'kprobe:do_nanosleep { @calls = count(); } interval:ms:300 { exit(); }' >/tmp/kp 2>&1 && grep -q '^@calls: ' /tmp/kp; then
	echo "PBX-RESULT trace-kprobe PASS"
else
	echo "PBX-RESULT trace-kprobe FAIL"; cat /tmp/kp
fi
echo PBX-DONE
poweroff -f
INIT
chmod +x "$init/init"
(cd "$init" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initramfs.gz"

log=$work/debian61.log
kernel="debian $release"
echo "== $kernel (booting; log in $log)"
# One vCPU: two TCG vCPUs on a 2-core host starve each other into soft
# lockups; the tests need no second CPU.
timeout 3600 qemu-system-x86_64 -accel tcg -cpu max -m 3072 -smp 1 \
	-kernel "$kdir/vmlinuz" -initrd "$work/initramfs.gz" \
	-append "console=ttyS0 quiet panic=-1 nowatchdog" -nographic -no-reboot >"$log" 2>&1 || true
tr -d '\r' <"$log" >"$log.txt"
grep -q PBX-DONE "$log.txt" || { report "$kernel" "(boot)" "FAIL: no result, see $log"; tail -30 "$log.txt"; }
grep '^PBX-RESULT' "$log.txt" | while read -r _ p r; do echo "$p $r"; done >"$work/guest-results"
while read -r p r; do
	report "$kernel" "$p" "$r"
	[ "$r" = PASS ] || sed -n "\\|^PBX-RESULT $p FAIL|,/^PBX-RESULT/p" "$log.txt" | head -40
done <"$work/guest-results"
for p in $built; do
	grep -q "^$p " "$work/guest-results" || report "$kernel" "$p" "FAIL: no result"
done

# What features reports must match what this kernel was checked to have.
for f in kprobes fentry tp_btf; do
	if sed -n '/PBX-FEATURES-BEGIN/,/PBX-FEATURES-END/p' "$log.txt" | grep -Eq "^  $f +yes "; then
		report "$kernel" "features: $f yes" PASS
	else
		report "$kernel" "features: $f yes" FAIL
	fi
done

# Which hooks each applet chose: the same applet may pick other hooks on
# each kernel, and must give the same answers (the tests above).
echo "== hooks chosen on $kernel"
sed -n '/^Applets/,/PBX-FEATURES-END/p' "$log.txt" | sed '1d;$d'
echo "== hooks chosen on host $(uname -r)"
"$work/probebox" features | sed -n '/^Applets/,$p' | sed 1d | tee "$work/host-hooks"
# tcpconnect takes a function hook where the kernel has one and the
# socket-state tracepoint where not; the tests above gave the same answers.
guest_hook=$(grep '^  tcpconnect ' "$log.txt" || true)
case "$guest_hook" in *fexit*|*kprobe*) r=PASS ;; *) r="FAIL: $guest_hook" ;; esac
report "$kernel" "tcpconnect hook: function" "$r"
exit $status
