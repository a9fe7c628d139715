namespace ThpTool.Scanner.KernelModel;

/// <summary>
/// A population total estimated from a stratified simple random sample without replacement, with a 95% interval
/// (docs/sampling.md). Each stratum adds N·ȳ, and N²(1 − n/N)s²/n to the variance: the finite-population correction
/// makes a stratum read whole exact. A stratum whose sample shows no variation gets the variance of a rare event seen
/// 0 times in n (p = 3/(n+3), the rule of three), not none. The interval is clamped to what is certain: the sampled
/// values are known, and no unread unit exceeds the bound.
/// </summary>
public sealed class StratifiedTotal(double bound)
{
    const double Z95 = 1.959963984540054;
    double estimate, variance, low, high;

    /// <summary>One stratum: <paramref name="population"/> units, of which <paramref name="sampled"/> were read.</summary>
    public void Add(long population, long sampled, double sum, double sumOfSquares)
    {
        low += sum;
        high += sum + (population - sampled) * bound;
        if (sampled == 0)
        {
            estimate += population * bound / 2;
            return;
        }
        double mean = sum / sampled;
        estimate += population * mean;
        if (sampled == population) return;
        double s2 = sampled > 1 ? Math.Max(0, (sumOfSquares - sampled * mean * mean) / (sampled - 1)) : bound * bound / 4;
        if (s2 <= 1e-12 * bound * bound)
        {
            double p = 3.0 / (sampled + 3);
            s2 = bound * bound * p * (1 - p);
        }
        variance += (double)population * population * (1 - (double)sampled / population) * s2 / sampled;
    }

    public double Estimate => estimate;
    public double Low => Math.Max(low, estimate - Z95 * Math.Sqrt(variance));
    public double High => Math.Min(high, estimate + Z95 * Math.Sqrt(variance));
}
