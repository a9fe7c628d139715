# A live THP target for tests: MADV_HUGEPAGE memory whose THPs have a known spread of all-zero subpages.
# Usage: thp_target.py MIB; prints "ready" once touched, exits when stdin closes.
import mmap, sys

PMD, PAGE = 2 << 20, 4096
size = int(sys.argv[1]) << 20
m = mmap.mmap(-1, size + PMD, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
m.madvise(mmap.MADV_HUGEPAGE)
for thp in range(size // PMD):
    base = thp * PMD
    # THP k writes to (k * 37) % 512 + 1 of its subpages, so zero counts spread over the range.
    for page in range((thp * 37) % 512 + 1):
        m[base + page * PAGE] = 1
print("ready", flush=True)
sys.stdin.read()
