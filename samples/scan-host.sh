#!/usr/bin/env bash
# Scans every process that has THPs (AnonHugePages > 0) into one scan file, then writes the sweep CSV.
# Usage: samples/scan-host.sh [OUT_DIR]   (run as root to see PFNs, sharing and every folio kind)
set -euo pipefail
out=${1:-.}
mkdir -p "$out"
pids=()
for rollup in /proc/[0-9]*/smaps_rollup; do
    pid=${rollup#/proc/}; pid=${pid%%/*}
    kb=$(awk '/^AnonHugePages:/ {print $2}' "$rollup" 2>/dev/null || true)
    if [ "${kb:-0}" -gt 0 ]; then pids+=(--pid "$pid"); fi
done
if [ ${#pids[@]} -eq 0 ]; then echo "no process on this host uses anonymous THPs"; exit 0; fi
host=$(hostname)
thptool scan "${pids[@]}" -o "$out/$host.scan.json"
thptool sweep "$out/$host.scan.json" --thresholds 0-511 --csv "$out/$host.sweep.csv"
echo "wrote $out/$host.scan.json and $out/$host.sweep.csv"
