#!/bin/busybox sh
# /init of a kernel-matrix guest (filled in by kernels/guest.sh: @MODULES@,
# @PACKAGES@, @GUEST@, @TIMESCALE@, @RUN@). Results go to the serial console as PBX-* lines.
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
for m in @MODULES@; do insmod /mod/$m || echo "insmod $m failed"; done
ip link set lo up
echo "PBX-KERNEL $(uname -r)"

result() { echo "PBX-RESULT $1 $2"; }

# wait_for FILE PATTERN: up to 60 s (TCG is slow to load BTF).
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 120 ] && return 1
		sleep 0.5
	done
}

# execsnoop_sees BIN ARGS...: runs `BIN execsnoop ARGS...` and checks it
# shows an exec the guest makes.
execsnoop_sees() {
	bin=$1; shift
	"$bin" execsnoop "$@" >/tmp/es 2>&1 &
	es=$!
	wait_for /tmp/es PCOMM || { kill $es; cat /tmp/es; return 1; }
	# Several marker execs over 2 s: on a guest sharing its CPU with
	# others, the header can come a moment before the last attach.
	for i in 1 2 3 4 5; do /bin/echo pbx-exec-marker >/dev/null; sleep 0.4; done
	kill -INT $es; wait $es
	grep -q pbx-exec-marker /tmp/es || { cat /tmp/es; return 1; }
}

for p in @PACKAGES@; do
	cd /t/$p
	if PROBEBOX_LIVE=1 PROBEBOX_TEST_TIMESCALE=@TIMESCALE@ PROBEBOX_TEST_TARGET=/t/uprobe/target PROBEBOX_TEST_CPROGS=/t/cprog PROBEBOX_TEST_EXT4_IMAGE=/t/ext4.img PROBEBOX_BINARY=/probebox TMPDIR=/tmp timeout 1500 ./pkg.test -test.short -test.v -test.run '@RUN@' -test.timeout 20m >/tmp/log 2>&1; then
		result $p PASS
		# Which tests ran, and what a skip says is missing.
		awk '/--- SKIP/ { print; getline; print }' /tmp/log | sed "s|^|PBX-SKIP $p |"
		grep -E -- '^--- PASS' /tmp/log | sed "s|^|PBX-TEST $p |"
		grep -E -- '^ +[a-z_]+_test\.go:[0-9]+: ' /tmp/log | sed "s|^|PBX-LOG $p |"
	else
		result $p FAIL
		# What failed and why (a failing subtest's messages come long
		# before the log's end), then the end.
		grep -E -- '--- FAIL|_test\.go:[0-9]+: ' /tmp/log | grep -v -- '--- PASS' | tail -200
		tail -10 /tmp/log
	fi
done
cd /
[ -f /extra.sh ] && sh /extra.sh
echo PBX-FEATURES-BEGIN
/probebox features
echo PBX-FEATURES-END
echo "PBX-FEATURES-JSON $(/probebox features --json)"

# trace's kprobe path: these kernels have kprobes, the host may not.
if /probebox trace -e 'kprobe:do_nanosleep { @calls = count(); } interval:ms:300 { exit(); }' >/tmp/kp 2>&1 && grep -q '^@calls: ' /tmp/kp; then
	result trace-kprobe PASS
else
	result trace-kprobe FAIL; cat /tmp/kp
fi

# The package for this architecture installs and runs.
if [ -f /probebox.deb ]; then
	mkdir -p /var/lib/dpkg/info && : >/var/lib/dpkg/status
	if dpkg -i /probebox.deb >/tmp/dpkg 2>&1 && execsnoop_sees /usr/bin/probebox; then
		result deb-install-execsnoop PASS
	else
		result deb-install-execsnoop FAIL; cat /tmp/dpkg
	fi
fi

# A kernel without /sys/kernel/btf/vmlinux: hide it, then the tools work
# through PROBEBOX_BTF / --btf with the BTF saved beforehand, and without
# either they say in one line what to do.
if [ "@GUEST@" = debian612 ]; then
	cp /sys/kernel/btf/vmlinux /tmp/vmlinux.btf
	mount -t tmpfs none /sys/kernel/btf
	if [ -e /sys/kernel/btf/vmlinux ]; then
		result nobtf-hidden FAIL
	else
		/probebox runqlat 1 1 >/tmp/nobtf 2>&1
		rc=$?
		if [ $rc = 0 ] || { [ $rc = 1 ] && [ "$(wc -l </tmp/nobtf)" = 1 ] && grep -q -- '--btf' /tmp/nobtf; }; then
			echo "runqlat without BTF: exit $rc: $(head -1 /tmp/nobtf)"; result nobtf-runqlat PASS
		else
			result nobtf-runqlat FAIL; cat /tmp/nobtf
		fi
		export PROBEBOX_BTF=/tmp/vmlinux.btf
		if execsnoop_sees /probebox; then result nobtf-env-execsnoop PASS; else result nobtf-env-execsnoop FAIL; fi
		unset PROBEBOX_BTF
		if execsnoop_sees /probebox --btf /tmp/vmlinux.btf; then result nobtf-flag-execsnoop PASS; else result nobtf-flag-execsnoop FAIL; fi
		echo PBX-NOBTF-FEATURES-BEGIN
		PROBEBOX_BTF=/tmp/vmlinux.btf /probebox features
		echo PBX-NOBTF-FEATURES-END
		umount /sys/kernel/btf
	fi
fi
echo PBX-DONE
poweroff -f
