using System.Globalization;
using ScottPlot;
using ThpTool.Common.Text;
using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>What every chart shares: font, colours, how axes are labelled and where markers go.</summary>
internal static class ChartStyle
{
    public const string Font = "DejaVu Sans";

    /// <summary>Okabe-Ito colours: told apart by colour-blind readers, and all dark enough on white.</summary>
    public static readonly Color[] Series = [new("#0072B2"), new("#D55E00"), new("#009E73"), new("#E69F00"), new("#56B4E9")];

    /// <summary>Marker colours, first "now", then "recommended": unlike any series colour.</summary>
    public static readonly Color[] Markers = [new("#000000"), new("#CC79A7")];

    public static void Apply(Plot plot)
    {
        plot.Font.Set(Font);
        plot.Axes.Title.Label.FontSize = 17;
        plot.Axes.Bottom.Label.FontSize = 14;
        plot.Axes.Left.Label.FontSize = 14;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Legend.FontSize = 12;
        plot.Legend.FontName = Font;
        plot.Axes.Bottom.TickGenerator = Numbers();
        plot.Axes.Left.TickGenerator = Numbers();
    }

    /// <summary>Ticks ScottPlot chooses, labelled the same way in every culture.</summary>
    public static ScottPlot.TickGenerators.NumericAutomatic Numbers() =>
        new() { LabelFormatter = v => Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture) };

    /// <summary>The binary unit (1024^k) bytes up to <paramref name="largest"/> read best in, and its name.</summary>
    public static (double Divisor, string Name) ByteUnit(double largest)
    {
        int k = ByteSize.UnitIndex(largest);
        return (Math.Pow(1024, k), ByteSize.Units[k]);
    }

    /// <summary>What to divide an axis's values by to plot them, and the unit that gives (null unless it counts bytes).</summary>
    public static (double Divisor, string? Unit) Scale(Axis axis, IEnumerable<double> values) =>
        axis.Unit == AxisUnit.Bytes ? ByteUnit(values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max()) : (1, null);

    /// <summary>"Memory (MiB)", "THP coverage (%)", "THPs (log scale)": the label with its unit.</summary>
    public static string Title(Axis axis, string? byteUnit = null) => axis switch
    {
        { Unit: AxisUnit.Bytes } => $"{axis.Label} ({byteUnit})",
        { Unit: AxisUnit.Percent } when !axis.Label.Contains('%') => $"{axis.Label} (%)",
        { Scale: AxisScale.Log } => $"{axis.Label} (log scale)",
        _ => axis.Label,
    };

    /// <summary>Each marker a vertical line of its own colour, named in the legend so labels never overlap.</summary>
    public static void AddMarkers(Plot plot, IReadOnlyList<Marker> markers, bool inLegend)
    {
        for (int i = 0; i < markers.Count; i++)
        {
            var line = plot.Add.VerticalLine(markers[i].X, 2, Markers[i % Markers.Length], LinePattern.Dashed);
            line.EnableAutoscale = false;
            if (inLegend)
                line.LegendText = markers[i].Label;
        }
    }

    /// <summary>Long names (cgroup paths) cut in the middle, where they differ least: "/system.slice/…/api.service".</summary>
    public static string Shorten(string label, int max = 48) =>
        label.Length <= max ? label : label[..(max / 2 - 1)] + "…" + label[^(max - max / 2)..];

    /// <summary>Left margin that fits the longest of <paramref name="labels"/> at 12 px (DejaVu Sans averages 7 px a character).</summary>
    public static float LabelMargin(IEnumerable<string> labels) =>
        Math.Clamp(labels.Select(l => l.Length).DefaultIfEmpty(0).Max() * 7.2f + 40, 90, 420);
}
