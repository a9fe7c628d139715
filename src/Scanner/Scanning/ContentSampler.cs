using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// Chooses whose contents a sampled scan reads: in each stratum (one process's fully mapped THPs, or its partially mapped
/// ones), the THPs with the smallest keys u, where u is a seeded hash of the THP, uniform on [0, 1): every THP with
/// u below the fraction, and never fewer than <see cref="ContentSample.MinimumPerStratum"/> (all of a smaller stratum).
/// Which THPs those are does not depend on how many there are, so the ones below the fraction are read as the walk
/// meets them and the rest are topped up at the process's end. Given the number read, the set read is a simple random
/// sample of the stratum: the ranks of i.i.d. keys are independent of their values, and the number depends only on
/// the values. A THP is hashed by its PFN where known, so processes that share it draw it alike.
/// </summary>
internal sealed class ContentSampler(ContentSample sample)
{

    public ContentSample Sample => sample;

    /// <summary>u of a THP: its head PFN, or without PFNs its address, hashed with the seed (SplitMix64).</summary>
    public double Key(ulong pfn, ulong address)
    {
        ulong z = sample.Seed + 0x9E3779B97F4A7C15UL * ((pfn != 0 ? pfn : address) + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    public static bool Partial(ThpRecord thp) => thp.Mapping == ThpMapping.Partial;

    /// <summary>The stratum sizes and picks of one process, THPs of type <typeparamref name="T"/> deferred until its end.</summary>
    public Stratified<T> ForProcess<T>() => new(this);

    public sealed class Stratified<T>(ContentSampler sampler)
    {
        readonly (int Read, List<(double U, T Item)> Deferred)[] strata = [(0, []), (0, [])];

        /// <summary>Whether to read this THP now; if not, it is kept until <see cref="TopUp"/>.</summary>
        public bool Reads(ThpRecord thp, T item)
        {
            double u = sampler.Key(thp.Pfn, thp.Address);
            ref var s = ref strata[ContentSampler.Partial(thp) ? 1 : 0];
            if (u < sampler.Sample.Fraction)
            {
                s.Read++;
                return true;
            }
            s.Deferred.Add((u, item));
            return false;
        }

        /// <summary>The deferred THPs that must be read after all, so each stratum has its minimum.</summary>
        public List<T> TopUp()
        {
            var picks = new List<T>();
            foreach (var (read, deferred) in strata)
            {
                int missing = Math.Min(sampler.Sample.MinimumPerStratum - read, deferred.Count);
                if (missing <= 0) continue;
                deferred.Sort((a, b) => a.U.CompareTo(b.U));
                picks.AddRange(deferred.Take(missing).Select(d => d.Item));
            }
            return picks;
        }
    }
}
