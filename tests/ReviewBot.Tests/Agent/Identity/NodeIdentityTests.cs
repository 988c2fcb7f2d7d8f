using ReviewBot.Agent.Identity;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Identity;

public class NodeIdentityTests
{
    [Fact]
    public void NodeIdIsCreatedOnceAndReusedByTheNextInstance()
    {
        using var workDir = new TempDirectory();

        var first = NodeIdentity.Load(workDir.Combine("work"));
        var second = NodeIdentity.Load(workDir.Combine("work"));

        Assert.False(string.IsNullOrWhiteSpace(first.NodeId));
        Assert.Equal(first.NodeId, second.NodeId);
        Assert.Equal(first.NodeId, File.ReadAllText(workDir.Combine("work", NodeIdentity.FileName)).Trim());
    }

    [Fact]
    public void DifferentWorkDirsAreDifferentNodes()
    {
        using var workDir = new TempDirectory();

        Assert.NotEqual(NodeIdentity.Load(workDir.Combine("a")).NodeId, NodeIdentity.Load(workDir.Combine("b")).NodeId);
    }

    [Fact]
    public void ReportsPlatformAndVersion()
    {
        using var workDir = new TempDirectory();

        var identity = NodeIdentity.Load(workDir.Path);

        Assert.Equal(OperatingSystem.IsLinux() ? "linux" : identity.Os, identity.Os);
        Assert.Contains(identity.Arch, new[] { "x64", "arm64", "x86", "arm", "s390x", "ppc64le", "riscv64", "loongarch64" });
        Assert.StartsWith("0.1.0", identity.Version);
    }
}
