using System.CommandLine;
using ThpTool.Common.Errors;
using ThpTool.Fleet.Dataset;

namespace ThpTool.Cli.Commands;

/// <summary>thptool export: scans into a Parquet dataset that DuckDB, Spark or Trino aggregate (docs/fleet-sql.md).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("SCAN_FILES") { Description = "Full scans from 'thptool scan -o' (one per host; not --sample) or merged fleet files.", Arity = ArgumentArity.OneOrMore };
        var parquet = new Option<string>("--parquet") { Description = "The dataset directory to add to (created if missing): TABLE/scan_date=YYYY-MM-DD/part-RANDOM.parquet, one file per table and day.", Required = true };
        var command = new Command("export", "Write scans as a Parquet dataset, per host and cgroup, for 'sweep DIR', 'report DIR' or any SQL engine.\n" +
                                            "Example: thptool export host1.json host2.json --parquet fleet/ && thptool sweep fleet/ --csv fleet.csv")
        {
            files, parquet,
        };
        command.SetAction((parse, _) => Task.FromResult(Run(parse.GetValue(files)!, parse.GetValue(parquet)!, StandardStreams.Of(parse).Out)));
        return command;
    }

    public static int Run(string[] files, string dir, TextWriter stdout)
    {
        if (files.FirstOrDefault(f => f is { Length: > 1 } && f[0] == '-') is { } unknown)
            throw new UserError(ExitCode.Usage, $"unknown option {unknown} (see --help)");
        var result = DatasetExport.Export(files, dir);
        stdout.WriteLine($"wrote {result.Hosts} host(s), {result.Files} file(s) into {dir}");
        return 0;
    }
}
