#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need, runs every test, then checks that the
# machine was left as found (THP knobs, cgroups, workload processes) and fails the run if not.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh

thp=/sys/kernel/mm/transparent_hugepage
knobs() { cat $thp/khugepaged/max_ptes_none $thp/shrink_underused $thp/enabled $thp/shmem_enabled $thp/hugepages-*kB/enabled 2>/dev/null | tr '\n' ' ' || true; }
cgroups() { ls -d /sys/fs/cgroup/memory/thptool* /sys/fs/cgroup/thptool* 2>/dev/null || true; }
before_knobs=$(knobs)
before_cgroups=$(cgroups)

log=$(mktemp)
status=0
dotnet test ThpTool.sln -c Release 2>&1 | tee "$log" || status=$?

leaks=""
[ "$(knobs)" = "$before_knobs" ] || leaks+="THP knobs changed: before [$before_knobs] after [$(knobs)]\n"
[ "$(cgroups)" = "$before_cgroups" ] || leaks+="cgroups left behind: $(cgroups)\n"
if ls /run/thptool/*.undo >/dev/null 2>&1; then leaks+="restore journal entries left in /run/thptool: $(ls /run/thptool)\n"; fi
if pgrep -f "thptool workload" >/dev/null; then leaks+="workload processes left running: $(pgrep -f 'thptool workload' | tr '\n' ' ')\n"; fi
if [ -n "$leaks" ]; then printf 'LEAK: %b' "$leaks"; status=1; fi

# One plain closing line for any reader: "N passed, N failed, N skipped".
summary=$(grep -E '(Passed|Failed)!' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
          awk '{p+=$1; f+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped", p, f, s}')
rm -f "$log"
echo "tests: ${summary:-0 passed, 0 failed}"
exit $status
