#!/usr/bin/env bash
# Installs the Debian packages ThpTool's tests need:
#   chromium      - headless screenshots of HTML reports (tests/ThpTool.Tests/Support/HeadlessBrowser.cs)
# Charts need nothing from Debian: ScottPlot draws PNG and SVG with the Skia library the NuGet package ships.
# Idempotent: packages already installed are skipped, and apt-get update runs at most once.
set -euo pipefail

packages=(chromium)

missing=()
for pkg in "${packages[@]}"; do
    if dpkg -s "$pkg" 2>/dev/null | grep '^Status: install ok installed$' >/dev/null; then  # no -q: with pipefail an early exit could SIGPIPE dpkg
        echo "setup: $pkg already installed"
    else
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup: nothing to install"
    exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo_cmd=(sudo)
    else
        echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
