# probebox: `make` builds ./probebox and ./bin/ (one symlink per applet);
# `make test` runs every test, the live BPF ones included.

GO         ?= go
VERSION    ?= $(shell cat VERSION)
COMMIT     ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
# asyncpreemptoff=1 as the binary's default GODEBUG (the environment's
# GODEBUG still overrides): a streaming tool's loop never waits under a
# flood, the runtime interrupted it with a signal every 10 ms, and the
# handler looked up the interrupted function's tables, pages of the
# executable that stayed resident (a minute's flood grew RSS by 1 MiB and
# kept streaming tools above 8 MiB). Goroutines are still preempted at
# function calls. -X replaces the module's default GODEBUG, which is empty
# (go list -f '{{.DefaultGODEBUG}}' .); keep it so or merge the two.
# memprofilerate=0: probebox never writes a Go heap profile, and the
# sampling's bucket table kept pages resident in every tool.
LDFLAGS    := -s -w -X github.com/probebox/probebox/core/multicall.Version=$(VERSION) \
              -X github.com/probebox/probebox/core/multicall.Commit=$(COMMIT) \
              -X runtime.godebugDefault=asyncpreemptoff=1,memprofilerate=0
export CGO_ENABLED := 0
# urfave_cli_no_docs: leaves out urfave/cli's markdown and man page
# writers (probebox writes its own man pages, core/manpage) and the
# markdown library under them, whose package init kept 210 KiB of heap
# live in every tool and took 0.4 ms of every start.
export GOFLAGS := -tags=urfave_cli_no_docs

# Live tests load real BPF programs; with PROBEBOX_LIVE=1 a test that cannot
# load them fails instead of skipping. `make test PROBEBOX_LIVE=0` to skip.
PROBEBOX_LIVE ?= 1
export PROBEBOX_LIVE

# `make generate` needs Debian's clang-19, llvm-19, libbpf-dev and bpftool:
#   apt-get install clang-19 llvm-19 libbpf-dev bpftool
BPF_CLANG  ?= clang-19
BPF_CFLAGS ?= -O2 -g -Wall -Werror -I../include
export BPF_CLANG BPF_CFLAGS

.PHONY: all probebox links docs package cross release test test-kernels unit fuzz generate generate-locked vet fmt clean bench

all: probebox links docs

probebox:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o probebox .

links: probebox
	rm -rf bin && mkdir -p bin
	for a in $$(./probebox --list-names); do ln -s ../probebox bin/$$a; done

# build/completion: bash, zsh and fish scripts; build/man: man pages.
docs: probebox
	mkdir -p build/completion
	./probebox completion bash > build/completion/probebox.bash
	./probebox completion zsh > build/completion/_probebox
	./probebox completion fish > build/completion/probebox.fish
	./probebox --man-pages build/man

# $(DIST): .deb and .rpm for amd64 and arm64 (static, cross-built; nfpm,
# fetched through the Go module proxy).
DIST ?= dist
ARCHES ?= amd64 arm64
package: all cross
	for a in $(ARCHES); do packaging/package.sh $(VERSION) $(DIST) $$a build/release/probebox-linux-$$a || exit 1; done

# build/release: the static binary for every architecture in ARCHES.
cross:
	mkdir -p build/release
	for a in $(ARCHES); do GOARCH=$$a $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o build/release/probebox-linux-$$a . || exit 1; done

# $(DIST): the static binaries for every architecture with their SHA-256 sums.
release: cross
	mkdir -p $(DIST)
	for a in $(ARCHES); do cp build/release/probebox-linux-$$a $(DIST)/probebox-$(VERSION)-linux-$$a; done
	cd $(DIST) && sha256sum probebox-$(VERSION)-linux-* > SHA256SUMS && cat SHA256SUMS

# -timeout: internal/reliability drives every applet through each of its
# cases (about 80 applets): it outlasts go test's default 10m. -parallel:
# its cases (the only parallel tests) mostly wait, four at a time.
test: probebox
	$(GO) vet ./...
	$(GO) test -count=1 -p 1 -parallel 4 -timeout 40m ./...

# The live suite on the host kernel and on Debian's 6.1 kernel under qemu
# (needs qemu-system-x86 busybox-static cpio iproute2 nftables; see
# kernels/matrix.sh).
test-kernels:
	sh kernels/matrix.sh

# probebox against Debian's libbpf-tools and bpftrace where installed, in
# one run (needs root; several minutes). PEERS=1 installs the peers first;
# BENCH_ARGS=--json for JSON, BENCH_ARGS=--quick for a smoke run.
# Results and how to read them: docs/BENCHMARKS.md.
bench: probebox
ifeq ($(PEERS),1)
	apt-get update && apt-get install -y libbpf-tools bpftrace
endif
	$(GO) run ./bench --probebox ./probebox $(BENCH_ARGS)

# Every fuzz target (FuzzXxx) for FUZZTIME each; `make test` already runs
# their seed corpora. A crasher lands in the package's testdata/fuzz.
FUZZTIME ?= 20s
fuzz:
	for p in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$p | grep '^Fuzz'); do \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$p || exit 1; \
	  done; \
	done

# Unit tests only: no root, no BPF.
unit:
	PROBEBOX_LIVE=0 $(GO) test -count=1 -short ./...

# The objects are compiled in one fixed directory, wherever the checkout
# is: clang's BTF output orders some forward declarations by a hash that
# depends on the source's path (sigsnoop's differed between two clones),
# and CI compares a fresh clone's objects byte for byte with the committed
# ones.
BPF_GENDIR ?= /tmp/probebox-bpfgen
generate:
	@command -v $(BPF_CLANG) >/dev/null || { echo "make generate needs $(BPF_CLANG): apt-get install clang-19 llvm-19 libbpf-dev bpftool" >&2; exit 1; }
	@test -f /usr/include/bpf/bpf_helpers.h || { echo "make generate needs libbpf headers: apt-get install libbpf-dev" >&2; exit 1; }
	flock $(BPF_GENDIR).lock $(MAKE) --no-print-directory generate-locked

# One checkout at a time uses the fixed directory (flock above).
generate-locked:
	rm -rf $(BPF_GENDIR) && mkdir -p $(BPF_GENDIR)
	cp -r go.mod go.sum bpfobj $(BPF_GENDIR)/
	cd $(BPF_GENDIR)/bpfobj && $(GO) generate ./...
	cd $(BPF_GENDIR) && for f in $$(find bpfobj -name '*_bpfe[lb].go' -o -name '*_bpfe[lb].o'); do cp $$f $(CURDIR)/$$f; done
	rm -rf $(BPF_GENDIR)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { gofmt -l .; exit 1; }

clean:
	rm -rf probebox bin build dist
