using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;
using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>
/// A heatmap drawn as rectangles, one per run of equal colour in a row, rather than ScottPlot's bitmap heatmap:
/// the SVG then holds vector shapes only (no embedded image) and stays small with 512 thresholds a row.
/// </summary>
internal static class HeatmapFigure
{
    /// <summary>Shares are coloured in bands of this width: 0-10%, 10-20%, ... (a share of 1 joins the top band).</summary>
    public const int Bands = 10;

    const int RowHeight = 30;
    const float Top = 150, Bottom = 64;

    /// <summary>ColorBrewer's Blues at its ends and middle: stays blue throughout, where a straight light-to-dark mix turns grey.</summary>
    static readonly Color[] Ramp = [new("#F7FBFF"), new("#6BAED6"), new("#08306B")];

    public static Figure Draw(HeatmapChart chart, int width)
    {
        var (figure, plot) = Figure.Single(width, (int)(Top + Bottom) + Math.Max(4, chart.Rows.Count) * RowHeight, chart.Title);
        var edges = Edges(chart.Columns);
        for (int r = 0; r < chart.Rows.Count; r++)
        {
            var values = chart.Rows[r].Values;
            for (int start = 0; start < values.Count;)
            {
                int band = Band(values[start]), end = start + 1;
                while (end < values.Count && Band(values[end]) == band)
                    end++;
                var cell = plot.Add.Rectangle(edges[start], edges[end], -r - 0.5, -r + 0.5);
                cell.FillColor = Colour(band);
                cell.LineWidth = 0;
                start = end;
            }
        }
        for (int b = 0; b < Bands; b++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = BandLabel(b), FillColor = Colour(b), OutlineWidth = 1, OutlineColor = Colors.Gray });
        ChartStyle.AddMarkers(plot, chart.Markers, inLegend: true);
        var rows = new NumericManual();
        for (int r = 0; r < chart.Rows.Count; r++)
            rows.AddMajor(-r, ChartStyle.Shorten(chart.Rows[r].Label));
        plot.Axes.Left.TickGenerator = rows;
        plot.XLabel(chart.ColumnsLabel);
        plot.YLabel(chart.RowsLabel);
        plot.Axes.SetLimits(edges[0], edges[^1], -chart.Rows.Count + 0.5, 0.5);
        plot.Layout.Fixed(new PixelPadding(ChartStyle.LabelMargin(chart.Rows.Select(r => ChartStyle.Shorten(r.Label))), 36, Bottom, Top));
        plot.ShowLegend(Edge.Top);
        return figure;
    }

    /// <summary>0..Bands-1 for a share in 0..1.</summary>
    internal static int Band(double share) => Math.Clamp((int)Math.Floor(share * Bands), 0, Bands - 1);

    /// <summary>Light for a small share, dark for a large one, in even steps.</summary>
    internal static Color Colour(int band)
    {
        double t = 2.0 * band / (Bands - 1);
        var (from, to) = t <= 1 ? (Ramp[0], Ramp[1]) : (Ramp[1], Ramp[2]);
        t = t <= 1 ? t : t - 1;
        byte Mix(byte a, byte b) => (byte)Math.Round(a + (b - a) * t);
        return new Color(Mix(from.R, to.R), Mix(from.G, to.G), Mix(from.B, to.B));
    }

    static string BandLabel(int band) =>
        string.Create(CultureInfo.InvariantCulture, $"{band * 100 / Bands}–{(band + 1) * 100 / Bands}%");

    /// <summary>
    /// Cell borders for ascending columns: halfway between neighbours, and half a gap beyond the ends, so cells of
    /// thresholds 0..511 are one wide and centred on their threshold, and sparse thresholds still touch.
    /// </summary>
    internal static double[] Edges(IReadOnlyList<int> columns)
    {
        if (columns.Count == 0)
            return [0, 1];
        var edges = new double[columns.Count + 1];
        for (int i = 1; i < columns.Count; i++)
            edges[i] = (columns[i - 1] + columns[i]) / 2.0;
        double first = columns.Count > 1 ? (columns[1] - columns[0]) / 2.0 : 0.5;
        double last = columns.Count > 1 ? (columns[^1] - columns[^2]) / 2.0 : 0.5;
        edges[0] = columns[0] - first;
        edges[^1] = columns[^1] + last;
        return edges;
    }
}
