# Shared by the kernel matrix scripts (sourced).
work=$(pwd)/build/kernels

report() { # kernel what result
	printf '%-34s %-36s %s\n' "$1" "$2" "$3" | tee -a "$work/results"
}

# build_tests ARCH: static test binaries (with their testdata), probebox,
# trace's uprobe target, the C test programs and an ext4 image for ARCH under
# $work/t-ARCH; prints the packages that built. Go's build cache makes a rebuild of unchanged code cheap.
build_tests() {
	arch=$1
	dir=$work/t-$arch
	rm -rf "$dir" && mkdir -p "$dir/t/uprobe"
	for p in $PKGS; do
		mkdir -p "$dir/t/$p"
		if ! GOARCH=$arch go test -c -trimpath -o "$dir/t/$p/pkg.test" "./$p" >&2; then
			report "build $arch" "$p" FAIL >&2
			continue
		fi
		echo "$p"
		[ -d "$p/testdata" ] && cp -r "$p/testdata" "$dir/t/$p/"
		# trace's corpus lives under lang/testdata.
		if [ -d "$p/lang/testdata" ]; then mkdir -p "$dir/t/$p/lang" && cp -r "$p/lang/testdata" "$dir/t/$p/lang/"; fi
	done
	GOARCH=$arch go build -trimpath -o "$dir/probebox" .
	# trace's uprobe tests trace a program they build; guests have no Go.
	GOARCH=$arch go build -trimpath -o "$dir/t/uprobe/target" ./applets/trace/testdata/target
	build_cprogs "$arch" "$dir/t/cprog" >&2
	# fsdist's and fsslower's tests mount an ext4 file system; the guests
	# have no mkfs.ext4, so they copy this empty one (core/livetest Ext4).
	if command -v mkfs.ext4 >/dev/null; then
		truncate -s 16M "$dir/t/ext4.img" && mkfs.ext4 -q -F "$dir/t/ext4.img" >&2
	else
		echo "no mkfs.ext4 (e2fsprogs): fsdist's and fsslower's ext4 tests skip in the guests" >&2
	fi
}

# cc_for ARCH: the C compiler that builds for ARCH here (Debian's
# gcc-aarch64-linux-gnu for arm64 on an amd64 host), or nothing.
cc_for() {
	if [ "$1" = "$(go env GOARCH)" ]; then
		command -v gcc || true
		return
	fi
	case $1 in
	arm64) command -v aarch64-linux-gnu-gcc || true ;;
	amd64) command -v x86_64-linux-gnu-gcc || true ;;
	esac
}

# build_cprogs ARCH DIR: every C test program (a source under
# applets/*/testdata, or functest's USDT program, with a
# "/* test-program: NAME FLAGS */" line, which
# core/livetest's CProgram reads too) built into DIR/NAME, dynamically
# linked against the C library the guest carries: the tests trace that
# library's functions (pthread_create, getaddrinfo, malloc). The guests
# have no compiler; the tests find DIR through PROBEBOX_TEST_CPROGS.
build_cprogs() {
	carch=$1 out=$2
	mkdir -p "$out"
	cc=$(cc_for "$1")
	if [ -z "$cc" ]; then
		echo "no C compiler for $1 (gcc; gcc-aarch64-linux-gnu for arm64): the C test programs' tests skip in its guests" >&2
		return
	fi
	grep -l '^/\* test-program: ' applets/*/testdata/*.c internal/functest/usdt/*.c | while read -r src; do
		set -- $(sed -n 's|^/\* test-program: \(.*\) \*/$|\1|p' "$src")
		name=$1
		shift
		# sys/sdt.h (systemtap-sdt-dev) is installed for the host's
		# architecture only; it is the same header for every one.
		sdt=""
		if grep -q 'sys/sdt.h' "$src"; then sdt="-idirafter /usr/include/$(gcc -dumpmachine)"; fi
		"$cc" "$@" $sdt -o "$out/$name" "$src" || report "build $carch" "C program $src" FAIL
	done
}

# guest_arch NAME: the architecture of a matrix guest.
guest_arch() {
	case $1 in *-arm64) echo arm64 ;; *) echo amd64 ;; esac
}

# tests_for ARCH: the packages built for ARCH (prebuilt by matrix.sh, else
# built now).
tests_for() {
	if [ -n "${MATRIX_PREBUILT:-}" ] && [ -f "$work/built-$1" ]; then
		cat "$work/built-$1"
	else
		build_tests "$1" | tee "$work/built-$1"
	fi
}
