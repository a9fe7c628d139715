using BenchmarkDotNet.Running;
using ThpTool.Benchmarks;

if (args is ["widths"])
{
    WidthShootout.Run();
    return;
}

// The switcher finds every [Benchmark] class in this assembly: a new benchmark class needs no change here.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
