# Shared by the kernel matrix scripts (sourced).
work=$(pwd)/build/kernels

report() { # kernel what result
	printf '%-34s %-36s %s\n' "$1" "$2" "$3" | tee -a "$work/results"
}

# build_tests ARCH: static test binaries (with their testdata), probebox and
# trace's uprobe target for ARCH under $work/t-ARCH; prints the packages
# that built. Go's build cache makes a rebuild of unchanged code cheap.
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
