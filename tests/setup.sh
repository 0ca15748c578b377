#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (idempotent, a no-op when all is there; `npm test`
# runs it first): Debian packages (poppler-utils to read generated PDFs back, chromium for the task-pane browser tests,
# openssl for the test certificates) and the npm dependencies from the lockfile. As root it installs with apt-get;
# otherwise through `sudo -n` when that needs no password; otherwise it says exactly what to run, and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "Paquets Debian manquants pour les tests : ${need[*]}." >&2
    echo "Installez-les en administrateur, puis relancez npm test :" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
  echo "Installation des paquets Debian : ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
node bin/bootstrap.mjs
