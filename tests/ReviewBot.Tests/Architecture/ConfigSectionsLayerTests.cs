namespace ReviewBot.Tests.Architecture;

/// <summary>Configuration reads the file; the capabilities read their own sections of it (IConfigSection), so
/// Configuration sits below them and knows none of their types.</summary>
public class ConfigSectionsLayerTests
{
    [Theory]
    [InlineData("Jobs")]
    [InlineData("Reminders")]
    public void ConfigurationKnowsNoCapabilityWhoseSectionItLoads(string owner) =>
        Assert.DoesNotContain(owner, FolderGraph.Server().DependenciesOf("Configuration"));
}
