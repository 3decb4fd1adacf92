#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (a MongoDB-wire server on SQLite or PostgreSQL, Apache-2.0) from the Go
# module proxy, once, into ~/.cache/zero-to-one, and links it as `ferretdb` into a folder on the PATH.
# Needs Go 1.21+. The tests start a throwaway FerretDB when `ferretdb` is on the PATH and MONGO_URL
# is not set.
#
# Why not plain `go install …@v1.24.2`: the module leaves build/version/version.txt empty (its
# release tooling writes it), and a binary built without it panics at start-up. So this copies the
# module, writes the version there, and builds that copy.
set -euo pipefail
version=v1.24.2
cache="${XDG_CACHE_HOME:-$HOME/.cache}/zero-to-one/ferretdb-$version"
bin="$cache/ferretdb"
link_dir="${1:-}"

if ! [ -x "$bin" ]; then
  command -v go >/dev/null || { echo "install-ferretdb: Go is not installed (https://go.dev/doc/install, or apt-get install golang)" >&2; exit 1; }
  started=$(date +%s)
  echo "install-ferretdb: building FerretDB $version with $(go version | cut -d' ' -f3) (a few minutes, once)"
  GOFLAGS=-mod=mod go mod download github.com/FerretDB/FerretDB@$version
  src="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$version"
  work=$(mktemp -d)
  trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  echo "$version" > "$work/build/version/version.txt"
  mkdir -p "$cache"
  (cd "$work" && go build -trimpath -o "$bin.tmp" ./cmd/ferretdb)
  mv "$bin.tmp" "$bin"
  echo "install-ferretdb: built in $(($(date +%s) - started)) s: $bin"
fi

# a folder on the PATH: the one given, else /usr/local/bin when writable, else ~/.local/bin
if [ -z "$link_dir" ]; then
  if [ -w /usr/local/bin ]; then link_dir=/usr/local/bin; else link_dir="$HOME/.local/bin"; fi
fi
mkdir -p "$link_dir"
ln -sf "$bin" "$link_dir/ferretdb"
echo "install-ferretdb: $("$link_dir/ferretdb" --version | head -n1) at $link_dir/ferretdb"
case ":$PATH:" in *":$link_dir:"*) ;; *) echo "install-ferretdb: add $link_dir to your PATH" ;; esac
