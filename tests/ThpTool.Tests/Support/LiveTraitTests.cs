using System.Reflection;

namespace ThpTool.Tests.Support;

/// <summary>The quick tests stay quick only if every live test says it is one.</summary>
public sealed class LiveTraitTests
{
    static readonly Type[] TestClasses = typeof(LiveTraitTests).Assembly.GetTypes();

    [Fact]
    public void EveryClassInTheLiveKernelCollectionIsMarkedLive()
    {
        var inCollection = TestClasses
            .Where(t => t.GetCustomAttribute<CollectionAttribute>() is { Name: LiveKernel.Collection })
            .ToList();
        Assert.NotEmpty(inCollection);
        Assert.Empty(inCollection.Where(t => t.GetCustomAttribute<LiveAttribute>() is null).Select(t => t.FullName));
    }

}
