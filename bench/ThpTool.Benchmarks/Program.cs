using BenchmarkDotNet.Running;
using ThpTool.Benchmarks;

switch (args)
{
    case ["widths"]:
        WidthShootout.Run();
        return;
    case ["scan", .. var rest]:
        await ScanHarness.Run(new HarnessArgs(rest));
        return;
    case [var mode and ("sparse" or "vmas"), .. var rest]:
        await LayoutHarness.Run(mode, new HarnessArgs(rest));
        return;
    case ["cost", .. var rest]:
        await CostHarness.Run(new HarnessArgs(rest));
        return;
    case ["fleet", .. var rest]:
        FleetHarness.Run(new HarnessArgs(rest));
        return;
    case ["heap", .. var rest]:
        await HeapHarness.Run(new HarnessArgs(rest));
        return;
}

// The switcher finds every [Benchmark] class in this assembly: a new benchmark class needs no change here.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
