#!/usr/bin/env bash
# Refreshes vendor/xterm/ from the npm registry: the files of @xterm/xterm and @xterm/addon-fit
# that the web page serves, their upstream LICENSE, and MANIFEST (package, version, the
# registry's integrity hash of the tarball, and a SHA-256 of each file we keep). The build
# embeds these files with include_bytes!, so building needs no node and no network; a cargo
# test (src/serve/web/assets.rs) checks every file against MANIFEST.
#
#   scripts/refresh-xterm.sh [XTERM_VERSION [FIT_VERSION]]
set -euo pipefail
cd "$(dirname "$0")/.."
xterm_version=${1:-6.0.0}
fit_version=${2:-0.11.0}
out=vendor/xterm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # package version -> unpacks into $work/NAME, checks the tarball against the registry's integrity
    local package=$1 version=$2 name=${1##*/}
    local expected
    expected=$(npm view "$package@$version" dist.integrity)
    (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
    local tarball
    tarball=$(ls "$work"/xterm-"$name"-"$version".tgz 2>/dev/null || ls "$work"/*"$name"-"$version".tgz)
    local actual
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$actual" != "$expected" ]; then
        echo "refresh-xterm: $package@$version: tarball hash $actual is not the registry's $expected" >&2
        exit 1
    fi
    mkdir -p "$work/$name"
    tar -xzf "$tarball" -C "$work/$name"
    echo "$package $version $expected" >>"$work/packages"
}

fetch @xterm/xterm "$xterm_version"
fetch @xterm/addon-fit "$fit_version"

rm -rf "$out"
mkdir -p "$out"
cp "$work/xterm/package/lib/xterm.mjs" "$out/xterm.mjs"
cp "$work/xterm/package/css/xterm.css" "$out/xterm.css"
cp "$work/xterm/package/LICENSE" "$out/LICENSE-xterm"
cp "$work/addon-fit/package/lib/addon-fit.mjs" "$out/addon-fit.mjs"
cp "$work/addon-fit/package/LICENSE" "$out/LICENSE-addon-fit"
# Source maps point at files we do not ship; the browser would ask for them.
sed -i '/^\/\/# sourceMappingURL=/d' "$out/xterm.mjs" "$out/addon-fit.mjs"

{
    echo "# Vendored by scripts/refresh-xterm.sh; checked by cargo test (web::assets)."
    echo "# package version integrity-of-the-npm-tarball"
    sed 's/^/package /' "$work/packages"
    echo "# file sha256"
    for f in xterm.mjs addon-fit.mjs xterm.css LICENSE-xterm LICENSE-addon-fit; do
        echo "file $f $(sha256sum "$out/$f" | cut -d' ' -f1)"
    done
} >"$out/MANIFEST"
echo "refresh-xterm: vendor/xterm has @xterm/xterm $xterm_version and @xterm/addon-fit $fit_version"
