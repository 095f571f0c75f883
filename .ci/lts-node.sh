#!/usr/bin/env bash
# Prints the folder of a Node.js binary of the given major line (default 24), fetched once from
# the npm registry's node-linux-<arch> package (the official build, no other network needed)
# into ~/.cache/kiln-monitor. Usage: PATH="$(.ci/lts-node.sh 24)/bin:$PATH" npm test
set -euo pipefail
major="${1:-24}"
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "no Node $major build for $(uname -m)" >&2; exit 1 ;; esac
cache="${XDG_CACHE_HOME:-$HOME/.cache}/kiln-monitor"
mkdir -p "$cache"
version="$(npm view "node-linux-$arch@$major" version --json | tr -d '[]" \n' | tr ',' '\n' | sort -V | tail -1)"
dir="$cache/node-$version-linux-$arch"
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
fi
"$dir/bin/node" --version >/dev/null
echo "$dir"
