#!/bin/sh
# The live suite on this host's kernel (part of kernels/matrix.sh).
set -eu
cd "$(dirname "$0")/.."
. kernels/lib.sh
arch=$(go env GOARCH)
built=$(tests_for "$arch")
kernel="host $(uname -r)"
echo "== $kernel"
status=0
for p in $built; do
	log="$work/host-$(echo "$p" | tr / _).log"
	if (cd "$work/t-$arch/t/$p" && PROBEBOX_LIVE=1 ./pkg.test -test.short -test.timeout 15m >"$log" 2>&1); then
		report "$kernel" "$p" PASS
	else
		report "$kernel" "$p" FAIL
		status=1
		tail -20 "$log"
	fi
done
"$work/t-$arch/probebox" features >"$work/features-host"
"$work/t-$arch/probebox" features --json >"$work/features-host.json"
exit $status
