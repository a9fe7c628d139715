using System.Globalization;

namespace ThpTool.Report.Charts;

/// <summary>Where an axis starts and ends, and its labelled ticks (values ascending).</summary>
internal sealed record TickSet(double Min, double Max, IReadOnlyList<double> Values, IReadOnlyList<string> Labels);

/// <summary>"Nice" ticks: 1-2-5 steps for numbers and percent, binary-unit steps for bytes, decades for log axes.</summary>
internal static class Ticks
{
    /// <summary>
    /// Ticks for data spanning <paramref name="dataMin"/>..<paramref name="dataMax"/> with at most
    /// <paramref name="maxTicks"/> ticks. Fixed ends from the axis are kept as they are; free ends snap
    /// outwards to a tick when <paramref name="expand"/> (Y axes) or stay on the data (X axes).
    /// A degenerate range (no data, all values equal) is widened so the axis still has a length.
    /// </summary>
    public static TickSet For(Axis axis, double dataMin, double dataMax, int maxTicks, bool includeZero, bool expand)
    {
        maxTicks = Math.Max(2, maxTicks);
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax))
            (dataMin, dataMax) = (0, 0);
        if (axis.Scale == AxisScale.Log)
            return Log(axis, Math.Max(0, dataMax), maxTicks);

        double lo = axis.Min ?? dataMin, hi = axis.Max ?? dataMax;
        if (includeZero)
        {
            if (axis.Min is null) lo = Math.Min(lo, 0);
            if (axis.Max is null) hi = Math.Max(hi, 0);
        }
        if (hi < lo)
            (lo, hi) = (hi, lo);
        if (hi == lo)
        {
            double v = lo;
            double delta = v != 0 ? Math.Abs(v) / 2 : axis.Unit == AxisUnit.Bytes ? 1024 : 1;
            if (axis.Min is null || axis.Max is not null) lo = v - delta;
            if (axis.Max is null || axis.Min is not null) hi = v + delta;
            if (includeZero && axis.Min is null && v >= 0) lo = 0;
            if (includeZero && axis.Max is null && v <= 0) hi = Math.Max(hi, 0);
            if (hi == lo) hi = lo + delta;
        }

        foreach (var step in Steps(axis.Unit, (hi - lo) / maxTicks))
        {
            double first = expand && axis.Min is null ? Math.Floor(lo / step + 1e-9) * step : lo;
            double last = expand && axis.Max is null ? Math.Ceiling(hi / step - 1e-9) * step : hi;
            long i0 = (long)Math.Ceiling(first / step - 1e-9), i1 = (long)Math.Floor(last / step + 1e-9);
            if (i1 - i0 + 1 > maxTicks)
                continue;
            var values = new List<double>();
            for (long i = i0; i <= i1; i++)
                values.Add(Clean(i * step));
            var format = Format(axis.Unit, step, values.Count == 0 ? 0 : Math.Max(Math.Abs(values[0]), Math.Abs(values[^1])));
            return new TickSet(Clean(first), Clean(last), values, values.Select(format).ToList());
        }
        throw new InvalidOperationException($"no tick step found for {lo}..{hi}");
    }

    /// <summary>Candidate steps, ascending, starting from the one just below <paramref name="minStep"/>.</summary>
    internal static IEnumerable<double> Steps(AxisUnit unit, double minStep)
    {
        if (unit == AxisUnit.Bytes)
        {
            // Whole bytes only: 1, 2, 5, ... 200 of a unit, then 1/4 and 1/2 of the next unit (256 MiB, 512 MiB),
            // so steps are exact in binary and labels need at most two decimals.
            for (int k = 0; k < ByteFormat.Units.Length; k++)
            {
                double u = Math.Pow(1024, k);
                double[] multipliers = k == 0 ? [1, 2, 5, 10, 20, 50, 100, 200] : [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200];
                foreach (var m in multipliers)
                    if (m * u >= minStep * (1 - 1e-12))
                        yield return m * u;
            }
            yield break;
        }
        double decade = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(minStep, 1e-300))));
        for (; ; decade *= 10)
            foreach (var m in new[] { 1.0, 2, 5 })
                if (m * decade >= minStep * (1 - 1e-12))
                    yield return Clean(m * decade);
    }

    /// <summary>Log axis (log10(1+v)): 0 and whole decades up to the first at or above the data.</summary>
    private static TickSet Log(Axis axis, double dataMax, int maxTicks)
    {
        double b = axis.Unit == AxisUnit.Bytes ? 1024 : 10;
        double max = axis.Max ?? dataMax;
        int top = max <= 1 ? 1 : (int)Math.Ceiling(Math.Log(max) / Math.Log(b) - 1e-9);
        if (axis.Max is null)
            max = Math.Pow(b, top);
        int stride = 1;
        while ((top / stride) + 2 > maxTicks)
            stride++;
        var values = new List<double> { 0 };
        for (int e = 0; e <= top; e += stride)
            if (Math.Pow(b, e) <= max * (1 + 1e-9))
                values.Add(Math.Pow(b, e));
        var labels = values.Select(v => v == 0 ? "0" : axis.Unit switch
        {
            AxisUnit.Bytes => ByteFormat.Format(v),
            AxisUnit.Percent => Scaled(v, 0) + "%",
            _ => Scaled(v, 0),
        }).ToList();
        return new TickSet(0, max, values, labels);
    }

    /// <summary>The label format for ticks <paramref name="step"/> apart, the largest being <paramref name="largest"/>.</summary>
    internal static Func<double, string> Format(AxisUnit unit, double step, double largest)
    {
        switch (unit)
        {
            case AxisUnit.Bytes:
            {
                // Label in the step's unit, or the largest tick's when that reads the same: 0.5 GiB, not 512 MiB.
                int k = ByteFormat.UnitIndex(largest);
                double u = Math.Pow(1024, k);
                if (Decimals(step / u) > 2)
                {
                    k = ByteFormat.UnitIndex(step);
                    u = Math.Pow(1024, k);
                }
                int d = Decimals(step / u);
                string suffix = " " + ByteFormat.Units[k];
                return v => v == 0 ? "0" : Fixed(v / u, d) + suffix;
            }
            case AxisUnit.Percent:
            {
                int d = Decimals(step);
                return v => Fixed(v, d) + "%";
            }
            default:
            {
                (double div, string suffix) = Math.Abs(largest) switch
                {
                    >= 1e9 => (1e9, "G"),
                    >= 1e6 => (1e6, "M"),
                    >= 1e4 => (1e3, "k"),
                    _ => (1, ""),
                };
                int d = Decimals(step / div);
                return v => v == 0 ? "0" : Fixed(v / div, d) + suffix;
            }
        }
    }

    /// <summary>One power of ten on its own: 1, 10, 1000, 10k, 1M.</summary>
    private static string Scaled(double v, int decimals) => Format(AxisUnit.Number, Math.Max(v, 1) * Math.Pow(10, -decimals), v)(v);

    /// <summary>How many decimals <paramref name="x"/> needs (0.25 -> 2, 5 -> 0), at most 10.</summary>
    internal static int Decimals(double x)
    {
        for (int d = 0; d < 10; d++)
        {
            double s = x * Math.Pow(10, d);
            if (Math.Abs(s - Math.Round(s)) < 1e-6 * Math.Max(1, Math.Abs(s)))
                return d;
        }
        return 10;
    }

    private static string Fixed(double v, int decimals)
    {
        double r = Math.Round(v, decimals, MidpointRounding.AwayFromZero);
        return (r == 0 ? 0 : r).ToString("F" + decimals, CultureInfo.InvariantCulture); // no "-0"
    }

    /// <summary>Drops floating-point noise: 0.30000000000000004 -> 0.3.</summary>
    internal static double Clean(double v) => v == 0 ? 0 : double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
