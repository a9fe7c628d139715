using System.Text.Json.Serialization;
using ThpTool.Experiments;

namespace ThpTool.Cli.Experiments;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReproResult))]
[JsonSerializable(typeof(IReadOnlyList<ReproResult>))]
[JsonSerializable(typeof(VerifyResult))]
internal sealed partial class ExperimentJson : JsonSerializerContext;
