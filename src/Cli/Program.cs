using ThpTool.Cli;
using ThpTool.Common.Output;

using var termination = new Termination();
return await CliApp.RunAsync(args, new ProcessStandardOutput(), Console.Error, termination.Token);
