using ThpTool.Common.Errors;
using ThpTool.Scanner.KernelModel;
using Xunit;

namespace ThpTool.Tests.Scanner.KernelModel;

public class ThresholdSetTests
{
    [Fact]
    public void ParsesListsRangesAndMixes()
    {
        Assert.Equal([0, 64, 409], ThresholdSet.Parse("409,0,64,64"));
        Assert.Equal(512, ThresholdSet.Parse("0-511").Count);
        Assert.Equal([1, 2, 3, 10], ThresholdSet.Parse("1-3, 10"));
    }

    [Theory]
    [InlineData("512")]
    [InlineData("-1")]
    [InlineData("0-600")]
    [InlineData("abc")]
    [InlineData("5-1")]
    [InlineData(",")]
    public void RejectsWhatIsNotAThreshold(string text)
    {
        var e = Assert.Throws<UserError>(() => ThresholdSet.Parse(text));
        Assert.Equal(ExitCode.Usage, e.Code);
        Assert.StartsWith("--thresholds", e.Message);
    }
}
