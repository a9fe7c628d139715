using ThpTool.Cli;

namespace ThpTool.Tests.Fleet;

public sealed class CliHelpTests
{
    [Fact]
    public void EveryCommandsHelpHasAnExample()
    {
        foreach (var command in CliApp.BuildRoot().Subcommands)
            Assert.Contains("Example", command.Description);
    }

    [Fact]
    public void ScanningCommandsShareTheFleetOptions()
    {
        foreach (var name in new[] { "scan", "sweep" })
        {
            var command = CliApp.BuildRoot().Subcommands.Single(c => c.Name == name);
            foreach (var option in new[] { "--pid", "--all", "--cgroup", "--quiet", "--dotnet-gc", "--threads" })
                Assert.Contains(command.Options, o => o.Name == option);
        }
    }
}
