-- The sweep of a thptool dataset (docs/fleet-sql.md): one row per unit and max_ptes_none 0..511, the columns of
-- `thptool sweep --csv`. {thps} and {collapse} are the tables; {unit} is host (one row set per host), cgroup (per
-- service, across hosts) or '*' (the fleet); {v1} is FALSE for the upstream remap policy, TRUE for the v1 series.
WITH
thps AS (
    SELECT {unit} AS unit, class, mapping, zero_subpages AS z, thps AS n, unmapped_subpages AS u
    FROM {thps}
),
ranges AS (
    -- A uffd-armed range collapses only when it has no empty PTE at all, and then at every threshold.
    SELECT {unit} AS unit, empty_or_zero_ptes AS e, zero_content_pages AS c, ranges AS r
    FROM {collapse}
    WHERE NOT uffd_armed OR empty_or_zero_ptes = 0
),
units AS (
    SELECT unit FROM thps UNION SELECT unit FROM ranges
),
-- What does not depend on the threshold: partially mapped THPs split at every pass, mlocked ones never.
fixed AS (
    SELECT unit,
        sum(n) FILTER (WHERE mapping IN ('pmd', 'pte')) AS thps_scanned,
        sum(n) FILTER (WHERE mapping IN ('pmd', 'pte') AND class = 'mlocked') AS mlocked_skipped,
        sum(n) FILTER (WHERE mapping = 'partial' AND class <> 'mlocked') AS partial_thps_split,
        sum(n * z + u) FILTER (WHERE mapping = 'partial' AND class <> 'mlocked') AS partial_pages_freed,
        sum(n) FILTER (WHERE mapping = 'partial-mthp' AND class <> 'mlocked') AS partial_mthps_split,
        sum(n * z + u) FILTER (WHERE mapping = 'partial-mthp' AND class <> 'mlocked') AS partial_mthp_pages_freed,
        sum(n * z) FILTER (WHERE mapping IN ('partial', 'partial-mthp') AND class <> 'mlocked') AS partial_zeros,
        sum(n * z) FILTER (WHERE mapping IN ('partial', 'partial-mthp') AND class = 'uffd-armed') AS partial_uffd_zeros,
        sum(n) FILTER (WHERE mapping = 'pmd') AS pmd_before
    FROM thps GROUP BY unit
),
-- Steps along the threshold axis k. A fully mapped THP with z zero subpages splits at every threshold below z: keyed
-- z - 1 and summed from the top. A range with e empty-or-zero PTEs collapses at every threshold from e up, and its THP
-- stays (is not split again) from max(e, c) up: keyed so and summed from the bottom. Each unit gets one row per
-- threshold that picks the sums up (the rows of the result); no bucket is ever joined with a threshold.
steps AS (
    SELECT unit, z - 1 AS k, FALSE AS at_threshold,
        sum(n) AS split, sum(n * z) AS zeros,
        sum(n) FILTER (WHERE class = 'uffd-armed') AS uffd_split,
        sum(n * z) FILTER (WHERE class = 'uffd-armed') AS uffd_zeros,
        sum(n) FILTER (WHERE mapping = 'pmd') AS pmd_split,
        CAST(NULL AS BIGINT) AS collapsed, CAST(NULL AS BIGINT) AS grown_pages, CAST(NULL AS BIGINT) AS settled
    FROM thps WHERE mapping IN ('pmd', 'pte') AND class <> 'mlocked' AND z > 0
    GROUP BY unit, z
    UNION ALL
    SELECT unit, e, FALSE, NULL, NULL, NULL, NULL, NULL, sum(r), sum(r * e), NULL
    FROM ranges GROUP BY unit, e
    UNION ALL
    SELECT unit, greatest(e, c), FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, sum(r)
    FROM ranges GROUP BY unit, greatest(e, c)
    UNION ALL
    SELECT unit, unnest(range(0, 512)), TRUE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM units
),
running AS (
    SELECT unit, k, at_threshold,
        sum(split) OVER down AS split, sum(zeros) OVER down AS zeros, sum(uffd_split) OVER down AS uffd_split,
        sum(uffd_zeros) OVER down AS uffd_zeros, sum(pmd_split) OVER down AS pmd_split,
        sum(collapsed) OVER up AS collapsed, sum(grown_pages) OVER up AS grown_pages, sum(settled) OVER up AS settled
    FROM steps
    WINDOW down AS (PARTITION BY unit ORDER BY k DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           up AS (PARTITION BY unit ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
-- max_ptes_none 511 turns the underused rule off: nothing splits, nothing collapsed is split again.
rows_at AS (
    SELECT r.unit, r.k,
        CASE WHEN r.k = 511 THEN 0 ELSE coalesce(r.split, 0) END AS split,
        CASE WHEN r.k = 511 THEN 0 ELSE coalesce(r.zeros, 0) END AS zeros,
        CASE WHEN r.k = 511 THEN 0 ELSE coalesce(r.uffd_split, 0) END AS uffd_split,
        CASE WHEN r.k = 511 THEN 0 ELSE coalesce(r.uffd_zeros, 0) END AS uffd_zeros,
        CASE WHEN r.k = 511 THEN 0 ELSE coalesce(r.pmd_split, 0) END AS pmd_split,
        coalesce(r.collapsed, 0) AS collapsed, coalesce(r.grown_pages, 0) AS grown_pages,
        CASE WHEN r.k = 511 THEN 0 ELSE coalesce(r.collapsed, 0) - coalesce(r.settled, 0) END AS ping_pong,
        coalesce(f.thps_scanned, 0) AS thps_scanned, coalesce(f.mlocked_skipped, 0) AS mlocked_skipped,
        coalesce(f.partial_thps_split, 0) AS partial_thps_split, coalesce(f.partial_pages_freed, 0) AS partial_pages_freed,
        coalesce(f.partial_zeros, 0) AS partial_zeros, coalesce(f.partial_uffd_zeros, 0) AS partial_uffd_zeros,
        coalesce(f.partial_mthps_split, 0) AS partial_mthps_split, coalesce(f.partial_mthp_pages_freed, 0) AS partial_mthp_pages_freed,
        coalesce(f.pmd_before, 0) AS pmd_before
    FROM running r LEFT JOIN fixed f ON f.unit = r.unit
    WHERE r.at_threshold
)
SELECT
    CAST(k AS INTEGER) AS max_ptes_none,
    CAST(thps_scanned AS BIGINT) AS thps_scanned,
    CAST(split AS BIGINT) AS thps_split,
    CAST(4096 * zeros AS BIGINT) AS bytes_freed,
    CAST(mlocked_skipped AS BIGINT) AS mlocked_skipped,
    CAST(uffd_split AS BIGINT) AS uffd_thps_split,
    CAST(partial_thps_split AS BIGINT) AS partial_thps_split,
    CAST(4096 * partial_pages_freed AS BIGINT) AS partial_bytes_freed,
    CAST(CASE WHEN {v1} THEN uffd_zeros + partial_uffd_zeros ELSE zeros + partial_zeros END AS BIGINT) AS subpages_zero_mapped,
    CAST(CASE WHEN {v1} THEN zeros - uffd_zeros + partial_zeros - partial_uffd_zeros ELSE 0 END AS BIGINT) AS subpages_pte_none,
    CAST(collapsed AS BIGINT) AS ranges_collapsed,
    CAST(4096 * grown_pages AS BIGINT) AS bytes_grown,
    CAST(ping_pong AS BIGINT) AS ping_pong_ranges,
    CAST(4096 * (zeros + partial_pages_freed + partial_mthp_pages_freed - grown_pages) AS BIGINT) AS net_bytes_freed,
    CAST(2097152 * pmd_before AS BIGINT) AS thp_bytes_before,
    CAST(2097152 * (pmd_before - pmd_split + collapsed - ping_pong) AS BIGINT) AS thp_bytes_after,
    CAST(partial_mthps_split AS BIGINT) AS partial_mthps_split,
    CAST(4096 * partial_mthp_pages_freed AS BIGINT) AS partial_mthp_bytes_freed,
    unit
FROM rows_at
ORDER BY unit, max_ptes_none
