using Xunit;
using ThpTool.Report.Charts;

namespace ThpTool.Tests.Charts;

public class TicksTests
{
    private const double GiB = SampleCharts.GiB, MiB = 1024.0 * 1024, KiB = 1024;

    [Fact]
    public void Thresholds_0_to_511_tick_every_hundred_and_keep_the_exact_ends()
    {
        var t = Ticks.For(new Axis("t") { Min = 0, Max = 511 }, 0, 511, 10, includeZero: false, expand: false);
        Assert.Equal([0, 100, 200, 300, 400, 500], t.Values);
        Assert.Equal(["0", "100", "200", "300", "400", "500"], t.Labels);
        Assert.Equal((0.0, 511.0), (t.Min, t.Max));
    }

    [Fact]
    public void Free_x_axis_spans_the_data_exactly()
    {
        var t = Ticks.For(new Axis("x"), -0.5, 512.5, 8, includeZero: false, expand: false);
        Assert.Equal((-0.5, 512.5), (t.Min, t.Max));
        Assert.Equal([0, 100, 200, 300, 400, 500], t.Values);
    }

    [Fact]
    public void Bytes_up_to_3_7_GiB_step_half_a_GiB_and_end_on_4_GiB()
    {
        var t = Ticks.For(new Axis("b", AxisUnit.Bytes), 0, 3.7 * GiB, 9, includeZero: true, expand: true);
        Assert.Equal(0, t.Min);
        Assert.Equal(4 * GiB, t.Max);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => i * 0.5 * GiB), t.Values);
        Assert.Equal(["0", "0.5 GiB", "1.0 GiB", "1.5 GiB", "2.0 GiB", "2.5 GiB", "3.0 GiB", "3.5 GiB", "4.0 GiB"], t.Labels);
    }

    [Fact]
    public void Byte_steps_are_whole_bytes_in_binary_units()
    {
        var t = Ticks.For(new Axis("b", AxisUnit.Bytes), 0, 3.7 * GiB, 5, includeZero: true, expand: true);
        Assert.Equal([0, GiB, 2 * GiB, 3 * GiB, 4 * GiB], t.Values);
        Assert.Equal(["0", "1 GiB", "2 GiB", "3 GiB", "4 GiB"], t.Labels);

        // 0..1.1 GiB in 6 ticks: 256 MiB steps, labelled in GiB.
        t = Ticks.For(new Axis("b", AxisUnit.Bytes), 0, 1.1 * GiB, 6, includeZero: true, expand: true);
        Assert.Equal(["0", "0.25 GiB", "0.50 GiB", "0.75 GiB", "1.00 GiB", "1.25 GiB"], t.Labels);
        Assert.All(t.Values, v => Assert.Equal(0, v % MiB));

        t = Ticks.For(new Axis("b", AxisUnit.Bytes), 0, 700 * MiB, 8, includeZero: true, expand: true);
        Assert.Equal(["0", "100 MiB", "200 MiB", "300 MiB", "400 MiB", "500 MiB", "600 MiB", "700 MiB"], t.Labels);

        t = Ticks.For(new Axis("b", AxisUnit.Bytes), 0, 3000, 7, includeZero: true, expand: true);
        Assert.Equal(["0", "0.5 KiB", "1.0 KiB", "1.5 KiB", "2.0 KiB", "2.5 KiB", "3.0 KiB"], t.Labels);
        Assert.All(t.Values, v => Assert.Equal(0, v % 1));
    }

    [Fact]
    public void Percent_0_to_100()
    {
        var t = Ticks.For(new Axis("p", AxisUnit.Percent) { Min = 0, Max = 100 }, 3, 97, 6, includeZero: true, expand: true);
        Assert.Equal(["0%", "20%", "40%", "60%", "80%", "100%"], t.Labels);
        Assert.Equal((0.0, 100.0), (t.Min, t.Max));
    }

    [Theory]
    [InlineData(0, 1, 6)]
    [InlineData(0, 0.37, 6)]
    [InlineData(0, 7, 5)]
    [InlineData(-3.2, 11.9, 8)]
    [InlineData(0, 123456789, 6)]
    [InlineData(1e-6, 3e-6, 5)]
    [InlineData(0, 511, 4)]
    public void Ticks_are_1_2_5_steps_covering_the_data(double lo, double hi, int maxTicks)
    {
        var t = Ticks.For(new Axis("n"), lo, hi, maxTicks, includeZero: true, expand: true);
        Assert.InRange(t.Values.Count, 2, maxTicks);
        Assert.True(t.Min <= Math.Min(lo, 0) && t.Max >= hi, $"{t.Min}..{t.Max} must cover {lo}..{hi}");
        double step = t.Values[1] - t.Values[0];
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2, 5 });
        for (int i = 1; i < t.Values.Count; i++)
            Assert.Equal(step, t.Values[i] - t.Values[i - 1], step * 1e-9);
        Assert.Equal(t.Labels.Count, t.Labels.Distinct().Count());
    }

    [Fact]
    public void Large_numbers_get_suffixes_and_small_ones_decimals()
    {
        Assert.Equal(["0", "50M", "100M", "150M"], Ticks.For(new Axis("n"), 0, 123456789, 6, true, true).Labels);
        Assert.Equal(["0", "0.1", "0.2", "0.3", "0.4"], Ticks.For(new Axis("n"), 0, 0.37, 6, true, true).Labels);
        Assert.Equal(["0", "20k", "40k", "60k"], Ticks.For(new Axis("n"), 0, 55_000, 6, true, true).Labels);
    }

    [Fact]
    public void All_zero_data_still_gives_an_axis()
    {
        var t = Ticks.For(new Axis("n"), 0, 0, 6, includeZero: true, expand: true);
        Assert.Equal((0.0, 1.0), (t.Min, t.Max));
        Assert.Equal(0, t.Values[0]);
        Assert.True(t.Values.Count >= 2);

        var b = Ticks.For(new Axis("b", AxisUnit.Bytes), 0, 0, 6, includeZero: true, expand: true);
        Assert.Equal((0.0, KiB), (b.Min, b.Max));
        Assert.Equal("1.00 KiB", b.Labels[^1]);
    }

    [Fact]
    public void A_single_point_gets_a_range_around_it()
    {
        var x = Ticks.For(new Axis("x"), 256, 256, 8, includeZero: false, expand: false);
        Assert.True(x.Min < 256 && x.Max > 256);
        Assert.True(x.Values.Count >= 2);

        var y = Ticks.For(new Axis("y", AxisUnit.Bytes), 3 * GiB, 3 * GiB, 6, includeZero: true, expand: true);
        Assert.Equal(0, y.Min);
        Assert.True(y.Max >= 3 * GiB);

        var negative = Ticks.For(new Axis("y"), -5, -5, 6, includeZero: true, expand: true);
        Assert.True(negative.Min <= -5 && negative.Max >= 0);
    }

    [Fact]
    public void Non_finite_data_is_treated_as_empty()
    {
        var t = Ticks.For(new Axis("n"), double.NaN, double.PositiveInfinity, 6, true, true);
        Assert.Equal((0.0, 1.0), (t.Min, t.Max));
    }

    [Fact]
    public void Log_axis_ticks_at_zero_and_decades()
    {
        var t = Ticks.For(new Axis("n") { Scale = AxisScale.Log }, 0, 250_000, 10, true, true);
        Assert.Equal([0, 1, 10, 100, 1000, 10_000, 100_000, 1_000_000], t.Values);
        Assert.Equal(["0", "1", "10", "100", "1000", "10k", "100k", "1M"], t.Labels);
        Assert.Equal(1_000_000, t.Max);

        var sparse = Ticks.For(new Axis("n") { Scale = AxisScale.Log }, 0, 1e12, 6, true, true);
        Assert.InRange(sparse.Values.Count, 2, 6);

        var empty = Ticks.For(new Axis("n") { Scale = AxisScale.Log }, 0, 0, 6, true, true);
        Assert.Equal([0, 1, 10], empty.Values);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(512, "512 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1 KiB")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(2 * 1024 * 1024, "2 MiB")]
    [InlineData(1.5 * 1024 * 1024 * 1024, "1.5 GiB")]
    [InlineData(3.7 * 1024 * 1024 * 1024, "3.7 GiB")]
    [InlineData(123.456 * 1024 * 1024, "123 MiB")]
    [InlineData(12.345 * 1024 * 1024, "12.3 MiB")]
    [InlineData(1023.999 * 1024 * 1024, "1 GiB")]
    [InlineData(5.0 * 1024 * 1024 * 1024 * 1024, "5 TiB")]
    [InlineData(-1536, "-1.5 KiB")]
    public void Bytes_format_in_binary_units(double bytes, string expected) =>
        Assert.Equal(expected, ByteFormat.Format(bytes));

    [Fact]
    public void Byte_format_ignores_the_current_culture() =>
        Assert.Equal("1.5 GiB", SampleCharts.UnderGermanCulture(() => ByteFormat.Format(1.5 * GiB)));
}
