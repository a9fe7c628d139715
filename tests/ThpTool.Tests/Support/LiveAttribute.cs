using Xunit.v3;

namespace ThpTool.Tests.Support;

/// <summary>
/// Marks a test that needs this machine as it is: root, the live kernel and its THP knobs, Chromium, python3, an
/// unprivileged user to drop to, device nodes or mounts, or the real executable scanning live processes. Everything
/// else is quick and runs anywhere: <c>dotnet test tests/ThpTool.Tests -c Release --filter "Category!=Live"</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class LiveAttribute : Attribute, ITraitAttribute
{
    public const string Category = "Category";
    public const string Value = "Live";

    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(Category, Value)];
}
