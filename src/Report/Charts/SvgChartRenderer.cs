using System.Globalization;
using System.Text;
using static ThpTool.Report.Charts.SvgText;

namespace ThpTool.Report.Charts;

/// <summary>
/// Standalone SVG: title, legend above the plot (never over the data), axes with nice ticks, optional
/// stacked lower panel and labelled markers. Deterministic and culture-invariant: the same chart gives
/// the same bytes on every machine.
/// </summary>
public sealed class SvgChartRenderer(int width = 960, int plotHeight = 320) : IChartRenderer
{
    /// <summary>Okabe-Ito colours: told apart by colour-blind readers, and all dark enough on white.</summary>
    internal static readonly string[] Colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    /// <summary>Line dashes cycled with the colours, so lines differ in shape too (and in greyscale print).</summary>
    internal static readonly string[] Dashes = ["", "8 4", "2 3", "10 3 2 3"];

    private const double TitleFont = 18, AxisFont = 13, TickFont = 12, LegendFont = 12, MarkerFont = 12;
    private const double Top = 44, Right = 30, LegendRow = 20, MarkerRow = 16, PanelGap = 14;
    private const double LowerPanelShare = 0.6;

    public int Width { get; } = width >= 300 ? width : throw new ArgumentOutOfRangeException(nameof(width), "at least 300");

    public int PlotHeight { get; } = plotHeight >= 80 ? plotHeight : throw new ArgumentOutOfRangeException(nameof(plotHeight), "at least 80");

    public string Render(LineChart chart)
    {
        var panels = new List<Panel> { new(chart.Y, chart.Series, null, PlotHeight, 0) };
        if (chart.LowerPanel is { } lower)
            panels.Add(new Panel(lower.Y, lower.Series, null, Math.Round(PlotHeight * LowerPanelShare), chart.Series.Count));
        foreach (var p in panels)
            foreach (var s in p.Series!)
                foreach (var pt in s.Points)
                    if (!double.IsFinite(pt.X) || !double.IsFinite(pt.Y))
                        throw new ArgumentException($"series '{s.Name}' has a point that is not a finite number ({pt.X}, {pt.Y})", nameof(chart));
        var xs = panels.SelectMany(p => p.Series!).SelectMany(s => s.Points).Select(p => p.X).ToList();
        return Draw(chart.Title, chart.X, xs.Count == 0 ? 0 : xs.Min(), xs.Count == 0 ? 0 : xs.Max(), panels, chart.Markers);
    }

    public string Render(HistogramChart chart)
    {
        foreach (var b in chart.Bins)
            if (!double.IsFinite(b.From) || !double.IsFinite(b.To) || !double.IsFinite(b.Count))
                throw new ArgumentException($"histogram bin ({b.From}..{b.To}: {b.Count}) is not finite", nameof(chart));
        var panel = new Panel(chart.Y, null, chart.Bins, PlotHeight, 0);
        bool any = chart.Bins.Count > 0;
        return Draw(chart.Title, chart.X,
            any ? chart.Bins.Min(b => Math.Min(b.From, b.To)) : 0,
            any ? chart.Bins.Max(b => Math.Max(b.From, b.To)) : 0,
            [panel], chart.Markers);
    }

    /// <summary>One plot: lines (<see cref="Series"/>) or bars (<see cref="Bins"/>).</summary>
    private sealed record Panel(Axis Y, IReadOnlyList<Series>? Series, IReadOnlyList<HistogramBin>? Bins, double Height, int FirstColour)
    {
        public (double Min, double Max) YData()
        {
            var ys = Series is not null
                ? Series.SelectMany(s => s.Points).Select(p => p.Y).ToList()
                : Bins!.Select(b => b.Count).ToList();
            return ys.Count == 0 ? (0, 0) : (ys.Min(), ys.Max());
        }
    }

    private string Draw(string title, Axis xAxis, double xMin, double xMax, List<Panel> panels, IReadOnlyList<Marker> markers)
    {
        // Y ticks first: their labels decide the left margin, which decides the plot width.
        var yTicks = panels.Select(p =>
        {
            var (lo, hi) = p.YData();
            return Ticks.For(p.Y, lo, hi, (int)(p.Height / 36) + 1, includeZero: true, expand: true);
        }).ToList();
        double left = 32 + 10 + yTicks.SelectMany(t => t.Labels).Select(l => Width(l, TickFont)).DefaultIfEmpty(0).Max() + 8;
        double plotWidth = Width - left - Right;
        var xTicks = XTicks(xAxis, xMin, xMax, plotWidth);
        var xScale = Scales.For(xAxis.Scale, xTicks, left, left + plotWidth);

        // Vertical layout: title, then per panel its legend (and, for the first, the marker labels) and plot.
        var visibleMarkers = markers.Where(m => double.IsFinite(m.X) && m.X >= xTicks.Min && m.X <= xTicks.Max)
            .OrderBy(m => m.X).ToList();
        var markerLabels = PlaceMarkerLabels(visibleMarkers, xScale, left);
        double y = Top;
        var plots = new List<(Panel Panel, TickSet Ticks, double Top, double LegendTop, List<(double X, int Row, Series S, int Colour)> Legend)>();
        for (int i = 0; i < panels.Count; i++)
        {
            var legend = PlaceLegend(panels[i], left, plotWidth);
            double legendTop = y;
            y += legend.Count == 0 ? 0 : (legend.Max(e => e.Row) + 1) * LegendRow + 2;
            if (i == 0 && markerLabels.Count > 0)
                y += (markerLabels.Max(l => l.Row) + 1) * MarkerRow + 4;
            else if (i == 0)
                y += 6;
            plots.Add((panels[i], yTicks[i], y, legendTop, legend));
            y += panels[i].Height + (i < panels.Count - 1 ? PanelGap : 0);
        }
        double height = Math.Ceiling(y + 56);

        string id = "c" + Fnv(title).ToString("x8", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        sb.Append(ic, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Num(height)}\" viewBox=\"0 0 {Width} {Num(height)}\" font-family=\"{FontStack}\" role=\"img\">\n");
        sb.Append(ic, $"<title>{Escape(title)}</title>\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        sb.Append(ic, $"<text class=\"title\" x=\"{Num(Width / 2.0)}\" y=\"28\" text-anchor=\"middle\" font-size=\"{Num(TitleFont)}\" font-weight=\"bold\" fill=\"#222222\">{Escape(title)}</text>\n");

        for (int i = 0; i < plots.Count; i++)
        {
            var (panel, ticks, top, legendTop, legend) = plots[i];
            double bottom = top + panel.Height;
            var yScale = Scales.For(panel.Y.Scale, ticks, bottom, top);
            bool last = i == plots.Count - 1;

            // Grid, behind everything.
            sb.Append("<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
            foreach (var t in ticks.Values)
                sb.Append(ic, $"<line x1=\"{Num(left)}\" y1=\"{Num(yScale.Map(t))}\" x2=\"{Num(left + plotWidth)}\" y2=\"{Num(yScale.Map(t))}\"/>\n");
            foreach (var t in xTicks.Values)
                sb.Append(ic, $"<line x1=\"{Num(xScale.Map(t))}\" y1=\"{Num(top)}\" x2=\"{Num(xScale.Map(t))}\" y2=\"{Num(bottom)}\"/>\n");
            sb.Append("</g>\n");

            // Data, clipped to the plot.
            string clip = $"{id}-clip{i}";
            sb.Append(ic, $"<clipPath id=\"{clip}\"><rect x=\"{Num(left - 3)}\" y=\"{Num(top - 3)}\" width=\"{Num(plotWidth + 6)}\" height=\"{Num(panel.Height + 6)}\"/></clipPath>\n");
            sb.Append(ic, $"<g clip-path=\"url(#{clip})\">\n");
            if (panel.Bins is not null)
                DrawBars(sb, panel.Bins, xScale, yScale, ticks, xAxis);
            else
                DrawLines(sb, panel, xScale, yScale);
            sb.Append("</g>\n");

            // Markers run through every panel.
            foreach (var m in visibleMarkers)
            {
                double mx = xScale.Map(m.X);
                sb.Append(ic, $"<line class=\"marker\" x1=\"{Num(mx)}\" y1=\"{Num(top)}\" x2=\"{Num(mx)}\" y2=\"{Num(bottom)}\" stroke=\"#333333\" stroke-width=\"1.3\" stroke-dasharray=\"5 4\"/>\n");
            }

            // Axes, ticks, tick labels.
            sb.Append(ic, $"<g class=\"axis\" stroke=\"#333333\" stroke-width=\"1\">\n<line x1=\"{Num(left)}\" y1=\"{Num(top)}\" x2=\"{Num(left)}\" y2=\"{Num(bottom)}\"/>\n<line x1=\"{Num(left)}\" y1=\"{Num(bottom)}\" x2=\"{Num(left + plotWidth)}\" y2=\"{Num(bottom)}\"/>\n");
            foreach (var t in ticks.Values)
                sb.Append(ic, $"<line x1=\"{Num(left - 5)}\" y1=\"{Num(yScale.Map(t))}\" x2=\"{Num(left)}\" y2=\"{Num(yScale.Map(t))}\"/>\n");
            foreach (var t in xTicks.Values)
                sb.Append(ic, $"<line x1=\"{Num(xScale.Map(t))}\" y1=\"{Num(bottom)}\" x2=\"{Num(xScale.Map(t))}\" y2=\"{Num(bottom + 5)}\"/>\n");
            sb.Append("</g>\n");
            sb.Append(ic, $"<g class=\"y-ticks\" font-size=\"{Num(TickFont)}\" fill=\"#333333\" text-anchor=\"end\">\n");
            for (int k = 0; k < ticks.Values.Count; k++)
                sb.Append(ic, $"<text x=\"{Num(left - 8)}\" y=\"{Num(yScale.Map(ticks.Values[k]) + TickFont * 0.35)}\">{Escape(ticks.Labels[k])}</text>\n");
            sb.Append("</g>\n");
            sb.Append(ic, $"<text class=\"axis-label y-label\" transform=\"rotate(-90 {Num(24)} {Num((top + bottom) / 2)})\" x=\"24\" y=\"{Num((top + bottom) / 2)}\" text-anchor=\"middle\" font-size=\"{Num(AxisFont)}\" fill=\"#222222\">{Escape(AxisTitle(panel.Y))}</text>\n");
            if (last)
            {
                sb.Append(ic, $"<g class=\"x-ticks\" font-size=\"{Num(TickFont)}\" fill=\"#333333\" text-anchor=\"middle\">\n");
                for (int k = 0; k < xTicks.Values.Count; k++)
                    sb.Append(ic, $"<text x=\"{Num(xScale.Map(xTicks.Values[k]))}\" y=\"{Num(bottom + 20)}\">{Escape(xTicks.Labels[k])}</text>\n");
                sb.Append("</g>\n");
                sb.Append(ic, $"<text class=\"axis-label x-label\" x=\"{Num(left + plotWidth / 2)}\" y=\"{Num(bottom + 44)}\" text-anchor=\"middle\" font-size=\"{Num(AxisFont)}\" fill=\"#222222\">{Escape(AxisTitle(xAxis))}</text>\n");
            }

            // Legend above the plot.
            if (legend.Count > 0)
            {
                sb.Append(ic, $"<g class=\"legend\" font-size=\"{Num(LegendFont)}\" fill=\"#222222\">\n");
                foreach (var (ex, row, s, colour) in legend)
                {
                    double ly = legendTop + row * LegendRow + LegendRow / 2;
                    sb.Append(ic, $"<g class=\"legend-entry\"><line x1=\"{Num(ex)}\" y1=\"{Num(ly)}\" x2=\"{Num(ex + 28)}\" y2=\"{Num(ly)}\" stroke=\"{Colour(colour)}\" stroke-width=\"2.5\"{Dash(colour)}/>");
                    sb.Append(ic, $"<text x=\"{Num(ex + 34)}\" y=\"{Num(ly + LegendFont * 0.35)}\">{Escape(s.Name)}</text></g>\n");
                }
                sb.Append("</g>\n");
            }

            // Marker labels in their own band above the first plot.
            if (i == 0 && markerLabels.Count > 0)
            {
                sb.Append(ic, $"<g class=\"marker-labels\" font-size=\"{Num(MarkerFont)}\" fill=\"#222222\">\n");
                foreach (var (lx, row, text, anchor) in markerLabels)
                    sb.Append(ic, $"<text x=\"{Num(lx)}\" y=\"{Num(top - 6 - row * MarkerRow)}\" text-anchor=\"{anchor}\">{Escape(text)}</text>\n");
                sb.Append("</g>\n");
            }
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void DrawLines(StringBuilder sb, Panel panel, IScale xScale, IScale yScale)
    {
        var ic = CultureInfo.InvariantCulture;
        for (int s = 0; s < panel.Series!.Count; s++)
        {
            var series = panel.Series[s];
            int colour = panel.FirstColour + s;
            var points = string.Join(" ", series.Points.Select(p => Num(xScale.Map(p.X)) + "," + Num(yScale.Map(p.Y))));
            sb.Append(ic, $"<polyline class=\"series\" data-name=\"{Escape(series.Name)}\" fill=\"none\" stroke=\"{Colour(colour)}\" stroke-width=\"2.2\" stroke-linejoin=\"round\"{Dash(colour)} points=\"{points}\"/>\n");
            if (series.Points.Count <= 40)
                foreach (var p in series.Points)
                    sb.Append(ic, $"<circle cx=\"{Num(xScale.Map(p.X))}\" cy=\"{Num(yScale.Map(p.Y))}\" r=\"3\" fill=\"{Colour(colour)}\"/>\n");
        }
    }

    private static void DrawBars(StringBuilder sb, IReadOnlyList<HistogramBin> bins, IScale xScale, IScale yScale, TickSet yTicks, Axis xAxis)
    {
        var ic = CultureInfo.InvariantCulture;
        double baseline = yScale.Map(Math.Max(yTicks.Min, 0));
        sb.Append(ic, $"<g class=\"bars\" fill=\"{Colours[0]}\">\n");
        foreach (var b in bins.Where(b => b.Count != 0))
        {
            double x0 = xScale.Map(Math.Min(b.From, b.To)), x1 = xScale.Map(Math.Max(b.From, b.To));
            double top = yScale.Map(b.Count);
            // A non-zero bin is never thinner or lower than one pixel, however much another bin dominates.
            double h = Math.Max(1, Math.Abs(baseline - top));
            double w = Math.Max(1, x1 - x0);
            double ry = b.Count > 0 ? baseline - h : baseline;
            double centre = (b.From + b.To) / 2;
            string where = xAxis.Unit == AxisUnit.Bytes ? ByteFormat.Format(centre) : Ticks.Clean(centre).ToString("0.##", CultureInfo.InvariantCulture);
            sb.Append(ic, $"<rect class=\"bar\" x=\"{Num(x0)}\" y=\"{Num(ry)}\" width=\"{Num(w)}\" height=\"{Num(h)}\"><title>{Escape(xAxis.Label)} {where}: {Ticks.Clean(b.Count).ToString("0.##", CultureInfo.InvariantCulture)}</title></rect>\n");
        }
        sb.Append("</g>\n");
    }

    /// <summary>As many X ticks as fit without their labels touching.</summary>
    private static TickSet XTicks(Axis axis, double min, double max, double plotWidth)
    {
        for (int n = Math.Max(2, (int)(plotWidth / 60)); ; n--)
        {
            var ticks = Ticks.For(axis, min, max, n, includeZero: false, expand: false);
            if (n <= 2 || ticks.Values.Count < 2)
                return ticks;
            var scale = Scales.For(axis.Scale, ticks, 0, plotWidth);
            bool fits = true;
            for (int k = 1; k < ticks.Values.Count && fits; k++)
            {
                double gap = scale.Map(ticks.Values[k]) - scale.Map(ticks.Values[k - 1]);
                fits = gap >= (Width(ticks.Labels[k], TickFont) + Width(ticks.Labels[k - 1], TickFont)) / 2 + 14;
            }
            if (fits)
                return ticks;
        }
    }

    private List<(double X, int Row, Series S, int Colour)> PlaceLegend(Panel panel, double left, double plotWidth)
    {
        var entries = new List<(double, int, Series, int)>();
        if (panel.Series is null)
            return entries;
        double x = left;
        int row = 0;
        for (int s = 0; s < panel.Series.Count; s++)
        {
            double w = 34 + Width(panel.Series[s].Name, LegendFont);
            if (x > left && x + w > left + plotWidth)
                (x, row) = (left, row + 1);
            entries.Add((x, row, panel.Series[s], panel.FirstColour + s));
            x += w + 24;
        }
        return entries;
    }

    /// <summary>Marker labels centred on their line, kept inside the image, moved up a row rather than overlap.</summary>
    private List<(double X, int Row, string Text, string Anchor)> PlaceMarkerLabels(List<Marker> markers, IScale xScale, double left)
    {
        var placed = new List<(double X, int Row, string Text, string Anchor)>();
        var rowEnds = new List<double>();
        foreach (var m in markers)
        {
            double mx = xScale.Map(m.X), w = Width(m.Label, MarkerFont);
            double start = Math.Clamp(mx - w / 2, left, Width - 4 - w);
            int row = rowEnds.FindIndex(end => start >= end + 10);
            if (row < 0)
            {
                row = rowEnds.Count;
                rowEnds.Add(0);
            }
            rowEnds[row] = start + w;
            placed.Add((start, row, m.Label, "start"));
        }
        return placed;
    }

    /// <summary>The axis label with its unit: "Bytes freed (bytes)", "THP coverage (%)", "Count (log scale)".</summary>
    internal static string AxisTitle(Axis axis)
    {
        var notes = new List<string>();
        if (axis.Unit == AxisUnit.Percent && !axis.Label.Contains('%'))
            notes.Add("%");
        if (axis.Unit == AxisUnit.Bytes && !axis.Label.Contains("byte", StringComparison.OrdinalIgnoreCase))
            notes.Add("bytes");
        if (axis.Scale == AxisScale.Log && !axis.Label.Contains("log", StringComparison.OrdinalIgnoreCase))
            notes.Add("log scale");
        return notes.Count == 0 ? axis.Label : $"{axis.Label} ({string.Join(", ", notes)})";
    }

    private static string Colour(int index) => Colours[index % Colours.Length];

    private static string Dash(int index) =>
        Dashes[index % Dashes.Length] is { Length: > 0 } d ? $" stroke-dasharray=\"{d}\"" : "";

    private static uint Fnv(string text)
    {
        uint h = 2166136261;
        foreach (var c in text)
            h = (h ^ c) * 16777619;
        return h;
    }
}
