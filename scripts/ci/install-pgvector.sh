#!/usr/bin/env bash
# Installs the pgvector extension into the local PostgreSQL 15 server, idempotently, then checks that it loads.
#
# Why from source: bookworm has no pgvector package, and CI machines reach only Debian's mirrors and the npm
# registry. Debian trixie carries pgvector 0.8.0 as a source package, which builds against bookworm's
# postgresql-server-dev-15 in well under a minute (DESIGN.md §6).
#
# Why a private apt configuration for the trixie source: the deb-src entry for trixie lives in a throw-away
# sources list and lists directory, used only by the two apt calls that fetch the source package. The machine's
# own apt configuration never sees trixie, so no later `apt-get install` can pick a trixie binary, and later
# `apt-get update`s do not download trixie's 20+ MB Sources index again. No pinning is needed.
#
# Run as root (or through passwordless sudo by .ci/run). Environment (all optional):
#   PG_MAJOR (15)   PGHOST (127.0.0.1)   PGPORT (5432)   PGUSER (postgres)   PGDATABASE (test)
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
# Debian's postgresql-client-NN ships this pg_config (the one in /usr/bin is a wrapper that picks the newest
# installed server-dev, which need not be NN). Its --sharedir/--pkglibdir are the running server's.
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-test}"
SOURCE_SUITE=trixie

log() { printf '[install-pgvector +%ss] %s\n' "$SECONDS" "$*"; }
die() { printf '[install-pgvector] ERROR: %s\n' "$*" >&2; exit 1; }

[ -x "$PG_CONFIG" ] || die "$PG_CONFIG not found: PostgreSQL ${PG_MAJOR} (postgresql-client-${PG_MAJOR}) is not installed"
[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and writes into PostgreSQL's directories)"

EXT_DIR="$("$PG_CONFIG" --sharedir)/extension"
LIB_DIR="$("$PG_CONFIG" --pkglibdir)"

# The server answers SQL; used at the end whether or not anything was built.
verify() {
  pg_isready -q || die "PostgreSQL is not answering on ${PGHOST}:${PGPORT}; start it first (.ci/run does)"
  # CREATE EXTENSION runs the extension's SQL script; the distance query proves the shared library loads.
  PGOPTIONS='-c client_min_messages=warning' psql -X -v ON_ERROR_STOP=1 -qc 'CREATE EXTENSION IF NOT EXISTS vector' \
    || die "CREATE EXTENSION vector failed in database ${PGDATABASE}"
  local version
  version=$(psql -X -v ON_ERROR_STOP=1 -Atc \
    "SELECT extversion FROM pg_extension WHERE extname = 'vector' AND ('[1,0]'::vector <=> '[0,1]'::vector) = 1") \
    || die "the vector extension does not load"
  [ -n "$version" ] || die "the vector extension is not usable in database ${PGDATABASE}"
  log "OK: vector ${version} loads in ${PGUSER}@${PGHOST}:${PGPORT}/${PGDATABASE}"
}

if [ -f "${EXT_DIR}/vector.control" ] && [ -f "${LIB_DIR}/vector.so" ]; then
  log "already installed ($(sed -n "s/^default_version = '\(.*\)'/\1/p" "${EXT_DIR}/vector.control") in ${EXT_DIR}): nothing to build"
  verify
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrent apt/dpkg (e.g. unattended-upgrades on a fresh VM) instead of failing at once.
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)

# --- Which Debian mirror this machine uses ------------------------------------------------------------------------
# Read from apt's own configuration, never hard-coded: the entry (deb or deb-src) whose suite is exactly this
# release's codename, e.g. "bookworm" (not bookworm-updates nor bookworm-security, which live elsewhere or lack
# trixie). Prints "URI<TAB>SIGNED_BY" (SIGNED_BY may be empty). Handles the deb822 *.sources format, where
# stanzas may say "Enabled: no", and the one-line format of sources.list and *.list with "[signed-by=...]" options.
debian_source() {
  local codename="$1" files=() f
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
  for f in "${files[@]}"; do
    local found=""
    case "$f" in
      *.sources)
        found=$(awk -v want="$codename" '
          function flush() {
            if (types ~ /(^| )deb(-src)?( |$)/ && (" " suites " ") ~ (" " want " ") && enabled !~ /^(no|false)$/ && uri != "")
              { print uri "\t" signed; found = 1; exit }
            types = suites = uri = signed = ""; enabled = "yes"
          }
          BEGIN { enabled = "yes" }
          /^[ \t]*#/ { next }
          /^[ \t]*$/ { flush(); next }
          /^[ \t]/ { next }  # continuation line (e.g. an inline key block): not needed
          {
            key = tolower($1); sub(/:$/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
            if (key == "types") types = val
            else if (key == "suites") suites = val
            else if (key == "uris") { split(val, u, /[ \t]+/); uri = u[1] }
            else if (key == "enabled") enabled = tolower(val)
            else if (key == "signed-by" && val ~ /^\//) { split(val, s, /[ \t]+/); signed = s[1] }
          }
          END { if (!found) flush() }
        ' "$f")
        ;;
      *)
        found=$(awk -v want="$codename" '
          $1 != "deb" && $1 != "deb-src" { next }
          {
            line = $0; signed = ""
            if (match(line, /\[[^]]*\]/)) {
              opts = substr(line, RSTART + 1, RLENGTH - 2); line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
              if (match(opts, /signed-by=[^ \t]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
            }
            n = split(line, w, /[ \t]+/)
            if (n >= 3 && w[3] == want) { print w[2] "\t" signed; exit }
          }
        ' "$f")
        ;;
    esac
    if [ -n "$found" ]; then printf '%s\n' "$found"; return 0; fi
  done
  return 1
}

# shellcheck disable=SC1091  # /etc/os-release is the system's, not ours
codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "cannot read VERSION_CODENAME from /etc/os-release"
IFS=$'\t' read -r URI SIGNED_BY < <(debian_source "$codename") || true
[ -n "${URI:-}" ] || die "no enabled apt source for suite '${codename}' in /etc/apt/sources.list{,.d/*.sources,.d/*.list}"
log "this machine's Debian mirror: ${URI} (suite ${codename}${SIGNED_BY:+, signed by ${SIGNED_BY}})"

# --- Build dependencies from bookworm (the machine's normal sources) ---------------------------------------------
# postgresql-server-dev-15: headers and PGXS; build-essential: gcc and make; dpkg-dev: dpkg-source, which
# `apt-get source` needs to unpack the package.
missing=()
for pkg in "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get "${APT_OPTS[@]}" update -qq
  apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- The pgvector source package from trixie, through a private apt configuration ---------------------------------
work=$(mktemp -d /tmp/idgraph-pgvector.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/src"
# apt downloads as the unprivileged _apt user when it exists; let it write there (otherwise apt warns and falls
# back to downloading as root).
if id _apt >/dev/null 2>&1; then chown -R _apt "$work/lists" "$work/src"; fi
chmod 755 "$work"
{
  echo "# idgraph CI: source packages only, used for building pgvector (scripts/ci/install-pgvector.sh)."
  echo "Types: deb-src"
  echo "URIs: ${URI}"
  echo "Suites: ${SOURCE_SUITE}"
  echo "Components: main"
  if [ -n "${SIGNED_BY:-}" ]; then echo "Signed-By: ${SIGNED_BY}"; fi
} >"$work/trixie-src.sources"
PRIVATE_APT=(
  -o "Dir::Etc::SourceList=$work/trixie-src.sources" -o Dir::Etc::SourceParts=-
  -o "Dir::State::Lists=$work/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
)
log "fetching the ${SOURCE_SUITE} source index"
apt-get "${APT_OPTS[@]}" "${PRIVATE_APT[@]}" update -qq
cd "$work/src"
apt-get "${APT_OPTS[@]}" "${PRIVATE_APT[@]}" source -qq "pgvector/${SOURCE_SUITE}" >/dev/null
src_dir=$(find . -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
[ -n "$src_dir" ] || die "apt-get source pgvector did not unpack a pgvector-* directory"
dsc=(./pgvector_*.dsc)
log "fetched ${dsc[0]#./}"

# --- Build and install --------------------------------------------------------------------------------------------
cd "$src_dir"
# OPTFLAGS="": pgvector defaults to -march=native; a portable build (as Debian's own) cannot SIGILL if the machine
# image is reused on another CPU model. pgvector picks its SIMD code paths at run time anyway.
log "building $(basename "$src_dir") against $("$PG_CONFIG" --version) with $(nproc) jobs"
make -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
if [ ! -f "${EXT_DIR}/vector.control" ] || [ ! -f "${LIB_DIR}/vector.so" ]; then
  die "make install did not produce ${EXT_DIR}/vector.control and ${LIB_DIR}/vector.so"
fi
log "installed into ${EXT_DIR} and ${LIB_DIR}"

verify
