namespace ReviewBot.Tests.Agent.TestSupport;

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "rb-agent")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => ReviewBot.Agent.Workspaces.DirectoryCleanup.TryDelete(Path);
}
