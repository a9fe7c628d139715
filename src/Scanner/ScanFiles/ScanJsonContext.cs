using System.Text.Json.Serialization;

namespace ThpTool.Scanner.ScanFiles;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ScanFile))]
internal sealed partial class ScanJsonContext : JsonSerializerContext;
