#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when one is missing (a fast no-op otherwise), then checks
# that fontconfig sees the fonts.
#
# Why these: generated identity documents (test fixtures) render their MRZ in OCR-B and their visual zone in
# DejaVu through sharp/librsvg, which finds fonts through fontconfig. Without OCR-B, fontconfig silently
# substitutes another font and the MRZ tests read garbage instead of failing clearly.
#
# Run as root (or through passwordless sudo by .ci/run).
set -euo pipefail

log() { printf '[install-system-packages] %s\n' "$*"; }
die() { printf '[install-system-packages] ERROR: %s\n' "$*" >&2; exit 1; }

FONT_PACKAGES=(fontconfig fonts-ocr-b fonts-dejavu-core)

# CHROMIUM_PACKAGES: browser tests of the console arrive in a later wave. Then this becomes
#   CHROMIUM_PACKAGES=(chromium chromium-driver)
# and the check below gains `/usr/bin/chromium --version` (playwright-core drives /usr/bin/chromium, DESIGN.md §6).
CHROMIUM_PACKAGES=()

packages=("${FONT_PACKAGES[@]}" "${CHROMIUM_PACKAGES[@]}")
missing=()
for pkg in "${packages[@]}"; do
  # dpkg -s also succeeds for removed-but-not-purged packages ("deinstall ... config-files"): check the state.
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  log "all present: ${packages[*]}"
else
  [ "$(id -u)" -eq 0 ] || die "must run as root to install ${missing[*]}"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 update -qq
  apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The fontconfig trigger rebuilds the cache on install; refreshing it again is cheap and covers odd images.
  fc-cache -f >/dev/null
fi

# fc-match always answers with some fallback, so ask fc-list for the exact families.
for family in 'OCR B' 'DejaVu Sans' 'DejaVu Sans Mono'; do
  [ -n "$(fc-list "$family" family)" ] || die "fontconfig does not know the font family '${family}'"
done
log "fontconfig sees: OCR B, DejaVu Sans, DejaVu Sans Mono"
