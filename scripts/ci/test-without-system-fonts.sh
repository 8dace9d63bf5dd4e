#!/usr/bin/env bash
# Runs the tests that render generated documents with fontconfig pointed at an empty font directory, so that they
# see no font of the machine at all: a fresh machine with Node and npm only (issue 18). The generators draw text
# from the font files in test/fixtures/fonts; a change that asks fontconfig for a font again (an SVG <text>,
# sharp's text input without fontfile) renders tofu or nothing here, and the MRZ tests fail.
#
# The test files are the ones that import a document generator or the verification fixtures built on them, found
# by grep so that a new document test is covered without editing this file. Arguments go to vitest.
# Runs on embedded PGlite (the fonts do not depend on the database); `npm test` covers the real services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

log() { printf '[test-without-system-fonts] %s\n' "$*"; }
die() { printf '[test-without-system-fonts] ERROR: %s\n' "$*" >&2; exit 1; }

mapfile -t tests < <(grep -rlE --include='*.test.ts' \
  '(document-generator|two-line-generator|glyph-text)\.js|verification-(fixtures|harness)\.js' \
  inference test scripts | LC_ALL=C sort)
[ ${#tests[@]} -gt 0 ] || die "no test file imports a document generator: the pattern above is stale"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/fonts"
# Only the empty directory: no <include> of the system's conf.d, so neither /usr/share/fonts nor ~/.fonts is read.
cat >"$dir/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>$dir/fonts</dir>
  <cachedir>$dir/cache</cachedir>
</fontconfig>
EOF
# Read by every fontconfig in the process tree, the one inside sharp's prebuilt libvips included.
export FONTCONFIG_FILE="$dir/fonts.conf"

if command -v fc-list >/dev/null; then
  visible=$(fc-list | wc -l)
  [ "$visible" -eq 0 ] || die "fontconfig still sees ${visible} fonts through ${FONTCONFIG_FILE}"
  log "fontconfig sees no font (FONTCONFIG_FILE=${FONTCONFIG_FILE})"
else
  log "FONTCONFIG_FILE=${FONTCONFIG_FILE} (fc-list is not installed: the machine has no system fontconfig either)"
fi
log "running ${#tests[@]} test files: ${tests[*]}"
# On PGlite only, as the header says: the same files run against the real services in `npm test`.
env -u TEST_DATABASE_URL -u TEST_REDIS_URL -u IDGRAPH_REQUIRE_SERVICES npx vitest run "${tests[@]}" "$@"
