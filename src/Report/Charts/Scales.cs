namespace ThpTool.Report.Charts;

/// <summary>Maps data values onto pixels along one direction.</summary>
internal interface IScale
{
    double Map(double value);
}

/// <summary>
/// domainMin..domainMax onto rangeFrom..rangeTo; the range may run backwards (Y grows downwards in SVG).
/// Values outside the domain map outside the range.
/// </summary>
internal sealed class LinearScale(double domainMin, double domainMax, double rangeFrom, double rangeTo) : IScale
{
    public double Map(double value) =>
        domainMax == domainMin
            ? rangeFrom
            : rangeFrom + (value - domainMin) / (domainMax - domainMin) * (rangeTo - rangeFrom);
}

/// <summary>log10(1 + v) scale for counts: 0 maps to rangeFrom, domainMax to rangeTo; negatives clamp to 0.</summary>
internal sealed class LogScale(double domainMax, double rangeFrom, double rangeTo) : IScale
{
    private readonly LinearScale _inner = new(0, Math.Log10(1 + Math.Max(0, domainMax)), rangeFrom, rangeTo);

    public double Map(double value) => _inner.Map(Math.Log10(1 + Math.Max(0, value)));
}

internal static class Scales
{
    public static IScale For(AxisScale scale, TickSet ticks, double rangeFrom, double rangeTo) =>
        scale == AxisScale.Log
            ? new LogScale(ticks.Max, rangeFrom, rangeTo)
            : new LinearScale(ticks.Min, ticks.Max, rangeFrom, rangeTo);
}
