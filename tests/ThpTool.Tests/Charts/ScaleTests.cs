using Xunit;
using ThpTool.Report.Charts;

namespace ThpTool.Tests.Charts;

public class ScaleTests
{
    [Fact]
    public void Linear_scale_maps_ends_and_middle()
    {
        var x = new LinearScale(0, 511, 100, 611);
        Assert.Equal(100, x.Map(0));
        Assert.Equal(611, x.Map(511));
        Assert.Equal(356, x.Map(256));
        Assert.Equal(100 + 511 * 1.5, x.Map(511 * 1.5), 9); // outside the domain stays linear
    }

    [Fact]
    public void Linear_scale_runs_backwards_for_svg_y()
    {
        var y = new LinearScale(0, 100, 400, 100); // 0 at the bottom (pixel 400), 100 at the top
        Assert.Equal(400, y.Map(0));
        Assert.Equal(100, y.Map(100));
        Assert.Equal(250, y.Map(50));
    }

    [Fact]
    public void Degenerate_linear_scale_maps_everything_to_the_start() =>
        Assert.Equal(5, new LinearScale(3, 3, 5, 50).Map(3));

    [Fact]
    public void Log_scale_keeps_zero_and_spreads_decades_evenly()
    {
        var y = new LogScale(999_999, 300, 0); // log10(1 + 999999) = 6 decades over 300 px
        Assert.Equal(300, y.Map(0));
        Assert.Equal(0, y.Map(999_999), 9);
        Assert.Equal(250, y.Map(9), 9);       // log10(10) = 1 decade up
        Assert.Equal(200, y.Map(99), 9);
        Assert.Equal(300, y.Map(-5));         // negatives clamp to zero
        Assert.True(300 - y.Map(1) > 10, "a count of 1 must stand clearly above zero");
    }
}
