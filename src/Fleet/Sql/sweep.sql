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
-- stays (is not split again) from max(e, c) up: keyed so and summed from the bottom. Every unit also gets the key 512,
-- past the last threshold, so that its keys cover 0..511; no bucket is ever joined with a threshold.
steps AS (
    SELECT unit, z - 1 AS k,
        sum(n) AS split, sum(n * z) AS zeros,
        sum(n) FILTER (WHERE class = 'uffd-armed') AS uffd_split,
        sum(n * z) FILTER (WHERE class = 'uffd-armed') AS uffd_zeros,
        sum(n) FILTER (WHERE mapping = 'pmd') AS pmd_split,
        CAST(NULL AS BIGINT) AS collapsed, CAST(NULL AS BIGINT) AS grown_pages, CAST(NULL AS BIGINT) AS settled
    FROM thps WHERE mapping IN ('pmd', 'pte') AND class <> 'mlocked' AND z > 0
    GROUP BY unit, z
    UNION ALL
    SELECT unit, e, NULL, NULL, NULL, NULL, NULL, sum(r), sum(r * e), NULL
    FROM ranges GROUP BY unit, e
    UNION ALL
    SELECT unit, greatest(e, c), NULL, NULL, NULL, NULL, NULL, NULL, NULL, sum(r)
    FROM ranges GROUP BY unit, greatest(e, c)
    UNION ALL
    SELECT unit, 512, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM units
),
-- One row per unit and distinct key, so the windows run over a unit's few keys rather than over its 512 thresholds.
keys AS (
    SELECT unit, k,
        coalesce(sum(split), 0) AS split, coalesce(sum(zeros), 0) AS zeros, coalesce(sum(uffd_split), 0) AS uffd_split,
        coalesce(sum(uffd_zeros), 0) AS uffd_zeros, coalesce(sum(pmd_split), 0) AS pmd_split,
        coalesce(sum(collapsed), 0) AS collapsed, coalesce(sum(grown_pages), 0) AS grown_pages, coalesce(sum(settled), 0) AS settled
    FROM steps GROUP BY unit, k
),
-- Below each key: the sums over the unit's smaller keys. What is summed from the top at k is the unit's total less
-- what lies below k; what is summed from the bottom is what lies below k, plus k's own at the threshold k itself.
running AS (
    SELECT unit, k, split, zeros, uffd_split, uffd_zeros, pmd_split, collapsed, grown_pages, settled,
        coalesce(lag(k) OVER below, -1) AS previous_k,
        sum(split) OVER unit_keys - coalesce(sum(split) OVER earlier, 0) AS split_down,
        sum(zeros) OVER unit_keys - coalesce(sum(zeros) OVER earlier, 0) AS zeros_down,
        sum(uffd_split) OVER unit_keys - coalesce(sum(uffd_split) OVER earlier, 0) AS uffd_split_down,
        sum(uffd_zeros) OVER unit_keys - coalesce(sum(uffd_zeros) OVER earlier, 0) AS uffd_zeros_down,
        sum(pmd_split) OVER unit_keys - coalesce(sum(pmd_split) OVER earlier, 0) AS pmd_split_down,
        coalesce(sum(collapsed) OVER earlier, 0) AS collapsed_below,
        coalesce(sum(grown_pages) OVER earlier, 0) AS grown_pages_below,
        coalesce(sum(settled) OVER earlier, 0) AS settled_below
    FROM keys
    WINDOW unit_keys AS (PARTITION BY unit),
           below AS (PARTITION BY unit ORDER BY k),
           earlier AS (PARTITION BY unit ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
-- Each key stands for the thresholds from just above the previous key up to itself.
thresholds AS (
    SELECT unit, k AS key_k, unnest(range(previous_k + 1, k + 1)) AS k,
        split_down, zeros_down, uffd_split_down, uffd_zeros_down, pmd_split_down,
        collapsed_below, grown_pages_below, settled_below, collapsed, grown_pages, settled
    FROM running
),
running_at AS (
    SELECT unit, k,
        split_down AS split, zeros_down AS zeros, uffd_split_down AS uffd_split, uffd_zeros_down AS uffd_zeros, pmd_split_down AS pmd_split,
        collapsed_below + CASE WHEN k = key_k THEN collapsed ELSE 0 END AS collapsed,
        grown_pages_below + CASE WHEN k = key_k THEN grown_pages ELSE 0 END AS grown_pages,
        settled_below + CASE WHEN k = key_k THEN settled ELSE 0 END AS settled
    FROM thresholds
    WHERE k < 512
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
    FROM running_at r LEFT JOIN fixed f ON f.unit = r.unit
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
