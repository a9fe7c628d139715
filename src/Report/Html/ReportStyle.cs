namespace ThpTool.Report.Html;

/// <summary>The report's only stylesheet, inlined so the file works offline and survives being mailed around.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --zebra: #f5f7fa; --accent: #0072B2; --rec: #e3f0fa; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #ffffff; color: var(--ink); font: 14px/1.5 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 28px 32px 48px; }
        header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 24px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 21px; margin: 36px 0 8px; }
        section + section > h2 { padding-top: 16px; border-top: 1px solid var(--line); }
        h3 { font-size: 16px; margin: 26px 0 8px; color: var(--accent); }
        p { margin: 6px 0; }
        .muted, caption { color: var(--muted); }
        code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; white-space: nowrap; }
        .advice { background: var(--rec); border-left: 5px solid var(--accent); padding: 14px 18px; margin: 16px 0; border-radius: 4px; }
        .advice .big { font-size: 20px; font-weight: bold; }
        .caveat { background: #fff8e6; border-left: 5px solid #E69F00; padding: 10px 16px; margin: 12px 0; border-radius: 4px; }
        .warn { background: #fdeee6; border-left: 5px solid #D55E00; padding: 10px 16px; margin: 12px 0; border-radius: 4px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 14px 0; }
        .card { flex: 1 1 200px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { font-size: 20px; font-weight: bold; }
        .pair { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .pair > div { flex: 1 1 360px; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
        caption { text-align: left; font-size: 12px; padding-bottom: 4px; }
        th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { background: #e9eef3; font-weight: bold; vertical-align: bottom; }
        tbody tr:nth-child(even) { background: var(--zebra); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.num { white-space: nowrap; }
        td.rec, th.rec { background: var(--rec); font-weight: bold; }
        span.cmd { display: block; max-width: 420px; overflow-wrap: anywhere; color: var(--muted); font-size: 12px; }
        .badge { display: inline-block; font-size: 11px; font-weight: bold; padding: 0 6px; margin-left: 6px; border-radius: 8px; color: #ffffff; }
        .badge.dotnet { background: #512BD4; }
        .badge.uffd { background: #D55E00; }
        .badge.mlock { background: #52606d; }
        figure { margin: 12px 0 20px; }
        figure svg { width: 100%; max-width: 1000px; height: auto; border: 1px solid var(--line); border-radius: 4px; }
        figcaption { color: var(--muted); font-size: 12px; }
        footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
        """;
}
