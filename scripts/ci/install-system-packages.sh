#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when one is missing (a fast no-op otherwise).
#   fonts-ocr-b, fontconfig, fonts-dejavu-core: generated identity documents render their MRZ in OCR-B and their
#   visual zone in DejaVu through sharp/librsvg, which finds fonts through fontconfig.
# Chromium (browser tests of the console) joins this list with the console's wave.
set -euo pipefail

packages=(fonts-ocr-b fontconfig fonts-dejavu-core)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "[install-system-packages] all present: ${packages[*]}"
  exit 0
fi
echo "[install-system-packages] installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
fc-cache -f >/dev/null 2>&1 || true
