#!/bin/sh
# Builds the .deb and .rpm from ./probebox and ./build (made by `make`)
# with nfpm. Usage: packaging/package.sh VERSION OUTDIR [ARCH BINARY]
# (default: this machine's architecture and ./probebox; the docs are the
# same for every architecture).
#
# Layout: /usr/bin/probebox; one link per applet in /usr/libexec/probebox
# (not /usr/sbin, where Debian's bpfcc-tools and libbpf-tools put the same
# names); completions in each shell's vendor folder, linked under every
# applet name so on-demand loaders find them; man pages; the license.
set -eu
version=$1
out=$2
cd "$(dirname "$0")/.."
arch=${3:-$(go env GOARCH)}
binary=${4:-./probebox}
stage=build/pkg-$arch
rm -rf "$stage" && mkdir -p "$stage/man" "$out"
for page in build/man/*.8; do gzip -9n < "$page" > "$stage/man/$(basename "$page").gz"; done

cfg=$stage/nfpm.yaml
cat > "$cfg" <<YAML
name: probebox
arch: $arch
platform: linux
version: $version
section: admin
priority: optional
maintainer: probebox developers <probebox@localhost>
description: |
  eBPF observability tools (execsnoop, opensnoop, biolatency, trace...) in
  one static binary. The applet links are in /usr/libexec/probebox: put it
  first in PATH, or run: probebox --install -s /usr/local/sbin
license: MIT
contents:
  - src: $binary
    dst: /usr/bin/probebox
    file_info: {mode: 0755}
  - src: ./LICENSE
    dst: /usr/share/doc/probebox/copyright
  - src: ./build/completion/probebox.bash
    dst: /usr/share/bash-completion/completions/probebox
  - src: ./build/completion/_probebox
    dst: /usr/share/zsh/vendor-completions/_probebox
  - src: ./build/completion/probebox.fish
    dst: /usr/share/fish/vendor_completions.d/probebox.fish
YAML
for page in "$stage"/man/*.gz; do
	printf '  - src: ./%s\n    dst: /usr/share/man/man8/%s\n' "$page" "$(basename "$page")" >> "$cfg"
done
for a in $(./probebox --list-names); do
	cat >> "$cfg" <<YAML
  - src: ../../bin/probebox
    dst: /usr/libexec/probebox/$a
    type: symlink
  - src: probebox
    dst: /usr/share/bash-completion/completions/$a
    type: symlink
  - src: probebox.fish
    dst: /usr/share/fish/vendor_completions.d/$a.fish
    type: symlink
YAML
done
nfpm="go run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.41.3"
for p in deb rpm; do
	$nfpm pkg --config "$cfg" --packager $p --target "$out"
done
