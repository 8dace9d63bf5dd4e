#!/usr/bin/env bash
# Installs the pgvector extension into the local PostgreSQL 15 server, idempotently.
#
# Why from source: bookworm has no pgvector binary package for PostgreSQL 15, and the machines reach only Debian's
# mirrors and the npm registry. trixie carries pgvector 0.8.0 as a source package, which builds against bookworm's
# postgresql-server-dev-15 in about 20 s (DESIGN.md §6). Only a deb-src line for trixie is added, so no trixie
# binary can ever be installed by accident.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
SHAREDIR_FALLBACK="/usr/share/postgresql/${PG_MAJOR}"

log() { printf '[install-pgvector] %s\n' "$*"; }

sharedir() {
  if [ -x "$PG_CONFIG" ]; then "$PG_CONFIG" --sharedir; else echo "$SHAREDIR_FALLBACK"; fi
}

if [ -f "$(sharedir)/extension/vector.control" ]; then
  log "pgvector already installed in $(sharedir)/extension: nothing to do"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive

# The mirror the machine already uses, read from apt's own configuration (deb822 first, then the one-line format).
debian_uri() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '
      /^Types:/ { deb = ($0 ~ /(^|[ \t])deb([ \t]|$)/) }
      /^URIs:/ && deb { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }
    ' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || { echo "cannot find the Debian mirror in apt's sources" >&2; exit 1; }
  printf '%s\n' "$uri"
}

URI=$(debian_uri)
SRC_LIST=/etc/apt/sources.list.d/idgraph-trixie-src.list
line="deb-src ${URI} trixie main"
if [ ! -f "$SRC_LIST" ] || ! grep -qxF "$line" "$SRC_LIST"; then
  log "adding '${line}'"
  printf '%s\n' "$line" >"$SRC_LIST"
fi

log "apt-get update"
apt-get update -qq

missing=()
for pkg in "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
log "fetching the pgvector source package from trixie"
apt-get source -qq --download-only pgvector/trixie
dpkg-source -x --no-check ./pgvector_*.dsc src >/dev/null
cd src
log "building $(basename "$(pwd)") against $("$PG_CONFIG" --version)"
make -s PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
[ -f "$(sharedir)/extension/vector.control" ] || { echo "pgvector install did not produce vector.control" >&2; exit 1; }
log "installed: $(grep default_version "$(sharedir)/extension/vector.control")"
