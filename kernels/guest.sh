#!/bin/sh
# One guest of the kernel matrix (kernels/matrix.sh): downloads the
# kernel package (cached in build/kernels/NAME), builds an initramfs with a
# static busybox, the static test binaries for the guest's architecture,
# probebox, ip/nft/losetup with their libraries and the loop and nf_tables
# modules, boots it under qemu (TCG, one vCPU), and reports one line per
# package. Usage: kernels/guest.sh debian61|debian612|debian61-arm64
set -eu
cd "$(dirname "$0")/.."
. kernels/lib.sh
name=$1
# Per guest: architecture, the kernel package (newest matching), and which
# features must be reported "yes" there.
case $name in
# timescale: how much longer the live tests wait there (emulation is slow).
debian61) arch=amd64 kpkg='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' expect="kprobes fentry tp_btf" timescale=3 ;;
debian612) arch=amd64 kpkg='^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' expect="kprobes fentry tp_btf" timescale=3 ;;
debian61-arm64) arch=arm64 kpkg='^linux-image-6\.1\.0-[0-9]+-cloud-arm64-unsigned$' expect="kprobes tp_btf" timescale=6 ;;
*) echo "unknown guest $name" >&2; exit 2 ;;
esac
status=0

kdir=$work/$name
if [ ! -f "$kdir/vmlinuz" ]; then
	rm -rf "$kdir" && mkdir -p "$kdir"
	pkg=$(apt-cache search "$kpkg" | awk '{print $1}' | sort -V | tail -1)
	[ -n "$pkg" ] || { echo "no package matching $kpkg in the apt cache: apt-get update (arm64: dpkg --add-architecture arm64 first)" >&2; exit 1; }
	(cd "$kdir" && apt-get download "$pkg:$arch" >/dev/null && dpkg-deb -x ./*.deb root)
	basename "$kdir"/root/boot/vmlinuz-* | sed 's/vmlinuz-//' >"$kdir/release.tmp"
	cp "$kdir"/root/boot/vmlinuz-* "$kdir/vmlinuz.tmp"
	mv "$kdir/release.tmp" "$kdir/release" && mv "$kdir/vmlinuz.tmp" "$kdir/vmlinuz"
fi
release=$(cat "$kdir/release")
moddir=$kdir/root/lib/modules/$release
kernel="$name $release"
echo "== $kernel: building"
built=$(tests_for "$arch")
# PKGS_<guest> (e.g. PKGS_debian61_arm64) narrows this guest's packages.
only=$(eval echo "\${PKGS_$(echo "$name" | tr - _):-}")
if [ -n "$only" ]; then
	built=$(for p in $built; do case " $only " in *" $p "*) echo "$p" ;; esac; done)
fi

init=$work/initramfs-$name
rm -rf "$init" && mkdir -p "$init/bin" "$init/sbin" "$init/usr/sbin" "$init/proc" "$init/sys" \
	"$init/dev" "$init/tmp" "$init/etc" "$init/run" "$init/var/run" "$init/mod"
cp "$work/t-$arch/probebox" "$init/probebox"
cp -r "$work/t-$arch/t" "$init/t"
# EXTRA=FILE: a shell script the guest runs after the tests (debugging).
[ -n "${EXTRA:-}" ] && cp "$EXTRA" "$init/extra.sh"
# The arm64 guest also installs the arm64 .deb (made here with the
# guest's binary; needs build/man and build/completion from `make`).
if [ "$arch" = arm64 ]; then
	packaging/package.sh "$(cat VERSION)" "$work/dist" "$arch" "$work/t-$arch/probebox" >/dev/null
	cp "$work/dist/probebox_$(cat VERSION)_$arch.deb" "$init/probebox.deb"
fi

# Userland: real ip and nft (the tests use netns and nftables features
# busybox lacks) and losetup, with their shared libraries; bash and openssl
# (bashreadline's and sslsniff's peers: without them those tests skip),
# the host's own or, for another architecture, Debian's.
if [ "$arch" = "$(go env GOARCH)" ]; then
	cp /bin/busybox "$init/bin/busybox"
	for f in "$(command -v ip)" "$(command -v nft)" "$(command -v losetup)" $(command -v bash) $(command -v openssl); do
		cp -L "$f" "$init/usr/sbin/"
		ldd "$f" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
			[ -f "$lib" ] || continue
			mkdir -p "$init$(dirname "$lib")"
			cp -L "$lib" "$init$lib"
		done
	done
	mkdir -p "$init/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$init/lib64/"
	if [ -f /usr/lib/ssl/openssl.cnf ]; then mkdir -p "$init/usr/lib/ssl" && cp /usr/lib/ssl/openssl.cnf "$init/usr/lib/ssl/"; fi
else
	# Another architecture: the same Debian packages for it, unpacked into
	# a sysroot (cached), their binaries and every library they ship.
	sysroot=$work/sysroot-$arch
	# .done-2: the list below changed (bash, openssl): unpack again.
	if [ ! -f "$sysroot/.done-2" ]; then
		rm -rf "$sysroot" && mkdir -p "$sysroot/debs"
		(cd "$sysroot/debs" && apt-get download $(for p in busybox-static iproute2 nftables mount libbpf1 libbsd0 libc6 \
			libcap2 libedit2 libelf1 libgmp10 libjansson4 libmd0 libmnl0 libnftables1 libnftnl11 libsmartcols1 \
			libtinfo6 libxtables12 zlib1g libmount1 libblkid1 libselinux1 libpcre2-8-0 libudev1 libzstd1 \
			bash openssl libssl3; do echo "$p:$arch"; done) >/dev/null)
		for d in "$sysroot"/debs/*.deb; do dpkg-deb -x "$d" "$sysroot/root"; done
		touch "$sysroot/.done-2"
	fi
	r=$sysroot/root
	cp "$r/bin/busybox" "$init/bin/busybox"
	for f in sbin/ip bin/ip usr/sbin/nft sbin/losetup usr/sbin/losetup bin/bash usr/bin/openssl; do
		[ -f "$r/$f" ] && cp -L "$r/$f" "$init/usr/sbin/"
	done
	if [ -f "$r/etc/ssl/openssl.cnf" ]; then mkdir -p "$init/usr/lib/ssl" && cp "$r/etc/ssl/openssl.cnf" "$init/usr/lib/ssl/"; fi
	for d in lib usr/lib; do
		[ -d "$r/$d" ] || continue
		(cd "$r" && find "$d" -name '*.so*' \( -type f -o -type l \)) | while read -r lib; do
			mkdir -p "$init/$(dirname "$lib")"
			cp -a "$r/$lib" "$init/$lib"
		done
	done
	# Debian's merged /usr: the loader is looked up as /lib/ld-linux-*.
	[ -e "$init/lib/ld-linux-aarch64.so.1" ] || cp -L "$r"/usr/lib/ld-linux-aarch64.so.1 "$init/lib/" 2>/dev/null || true
fi

# bpftrace's own tools where the host has them (Debian's bpftrace package
# installs them as /usr/sbin/*.bt): trace's tests start each one, so the
# kprobe tools the host cannot run are run on kernels with kprobes.
for bt in /usr/sbin/*.bt; do
	[ -f "$bt" ] && cp "$bt" "$init/usr/sbin/"
done

# Modules with their dependencies first (read from each .ko's modinfo
# section: the package has no modules.dep and depmod may be missing).
modules=""
add_module() {
	local ko dep
	case " $modules " in *" $1.ko "*) return ;; esac
	ko=$(find "$moddir" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$(echo "$1" | tr _ -).ko" -o -name "$(echo "$1" | tr _ -).ko.xz" | head -1)
	if [ -z "$ko" ]; then echo "module $1 not in $release (built in?)" >&2; return; fi
	# Newer Debian kernels ship xz-compressed modules; busybox insmod
	# wants them plain.
	case $ko in
	*.xz) xz -dc "$ko" >"$init/mod/$1.ko" ;;
	*) cp "$ko" "$init/mod/$1.ko" ;;
	esac
	for dep in $(tr '\0' '\n' <"$init/mod/$1.ko" | sed -n 's/^depends=//p' | tr , ' '); do
		add_module "$dep"
	done
	modules="$modules $1.ko"
}
for m in loop nf_tables inet_diag tcp_diag udp_diag unix_diag veth; do add_module $m; done

cat >"$init/etc/passwd" <<'EOF'
root:x:0:0:root:/:/bin/sh
nobody:x:65534:65534:nobody:/:/bin/sh
EOF
echo "nogroup:x:65534:" >"$init/etc/group"
# gethostlatency's test program resolves localhost through the C
# library, from /etc/hosts only (nss_files is in glibc's libc.so.6).
printf '127.0.0.1 localhost\n::1 localhost\n' >"$init/etc/hosts"
echo "hosts: files" >"$init/etc/nsswitch.conf"
# RUN is a go test -run pattern: its / and & are escaped for sed.
run=$(printf '%s' "${RUN:-.}" | sed 's/[/&\\]/\\&/g')
sed -e "s|@MODULES@|$modules|" -e "s|@PACKAGES@|$(echo $built)|" -e "s|@GUEST@|$name|" -e "s|@TIMESCALE@|$timescale|" -e "s/@RUN@/$run/" kernels/guest-init.sh >"$init/init"
chmod +x "$init/init"
(cd "$init" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initramfs-$name.gz"

log=$work/$name.log
echo "== $kernel: booting (log in $log)"
# One vCPU: two TCG vCPUs on a 2-core host starve each other into soft
# lockups; the tests need no second CPU. no_timer_check: on a loaded host
# the emulated 8254 timer can miss the x86 kernel's boot-time IO-APIC
# check, which then panics ("IO-APIC + timer doesn't work!", seen on 6.12).
if [ "$arch" = arm64 ]; then
	qemu="qemu-system-aarch64 -M virt -cpu max -accel tcg"
	console=ttyAMA0
else
	qemu="qemu-system-x86_64 -accel tcg -cpu max"
	console=ttyS0
fi
timeout 3600 $qemu -m 3072 -smp 1 -kernel "$kdir/vmlinuz" -initrd "$work/initramfs-$name.gz" \
	-append "console=$console quiet panic=-1 nowatchdog no_timer_check rdinit=/init" -nographic -no-reboot >"$log" 2>&1 || true
tr -d '\r' <"$log" >"$log.txt"
grep -q PBX-DONE "$log.txt" || { report "$kernel" "(boot)" "FAIL: no result, see $log"; tail -30 "$log.txt"; status=1; }
grep '^PBX-RESULT' "$log.txt" | while read -r _ p r; do echo "$p $r"; done >"$work/guest-results-$name"
while read -r p r; do
	report "$kernel" "$p" "$r"
	[ "$r" = PASS ] || { status=1; sed -n "\\|^PBX-RESULT $p FAIL|,/^PBX-RESULT/p" "$log.txt" | head -40; }
done <"$work/guest-results-$name"
for p in $built; do
	grep -q "^$p " "$work/guest-results-$name" || report "$kernel" "$p" "FAIL: no result"
done

# Skips (a test may skip only for a missing external program) and why.
if grep -q '^PBX-SKIP' "$log.txt"; then
	echo "== tests skipped on $kernel"
	sed -n 's/^PBX-SKIP //p' "$log.txt"
fi
sed -n '/PBX-FEATURES-BEGIN/,/PBX-FEATURES-END/p' "$log.txt" | sed '1d;$d' >"$work/features-$name"
sed -n 's/^PBX-FEATURES-JSON //p' "$log.txt" >"$work/features-$name.json"
echo "== hooks chosen on $kernel"
sed -n '/^Applets/,$p' "$work/features-$name"
# What features reports must match what this kernel was checked to have.
for f in $expect; do
	if grep -Eq "^  $f +yes " "$work/features-$name"; then
		report "$kernel" "features: $f yes" PASS
	else
		report "$kernel" "features: $f yes" FAIL
	fi
done
# tcpconnect takes a function hook (fexit or kprobe, whichever attaches)
# where the kernel has one; the tests above gave the same answers.
guest_hook=$(grep '^  tcpconnect ' "$work/features-$name" || true)
case "$guest_hook" in *fexit*|*kprobe*) r=PASS ;; *) r="FAIL: $guest_hook" ;; esac
report "$kernel" "tcpconnect hook: function" "$r"
grep -q "FAIL" "$work/guest-results-$name" && status=1
exit $status
