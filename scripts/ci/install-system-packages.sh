#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when one is missing (a fast no-op otherwise).
#
# No fonts: the generated identity documents draw their text from the font files shipped in test/fixtures/fonts
# (issue 18), and scripts/ci/test-without-system-fonts.sh proves they need no font of the machine.
#
# Run as root (or through passwordless sudo by .ci/run).
set -euo pipefail

log() { printf '[install-system-packages] %s\n' "$*"; }
die() { printf '[install-system-packages] ERROR: %s\n' "$*" >&2; exit 1; }

# chromium: the console's browser tests (playwright-core drives /usr/bin/chromium; Playwright's own browser download
# is not reachable here, DESIGN.md §6). poppler-utils: pdftoppm/pdftotext render the session PDF summary in its tests.
CHROMIUM_PACKAGES=(chromium chromium-driver)
PDF_PACKAGES=(poppler-utils)

packages=("${CHROMIUM_PACKAGES[@]}" "${PDF_PACKAGES[@]}")
missing=()
for pkg in "${packages[@]}"; do
  # dpkg -s also succeeds for removed-but-not-purged packages ("deinstall ... config-files"): check the state.
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || missing+=("$pkg")
done

if [ ${#packages[@]} -eq 0 ]; then
  log "none needed"
elif [ ${#missing[@]} -eq 0 ]; then
  log "all present: ${packages[*]}"
else
  [ "$(id -u)" -eq 0 ] || die "must run as root to install ${missing[*]}"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 update -qq
  apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/chromium --version >/dev/null || die "chromium is installed but does not start"
command -v pdftoppm >/dev/null || die "poppler-utils is installed but pdftoppm is missing"
