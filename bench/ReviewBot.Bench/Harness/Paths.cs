namespace ReviewBot.Bench.Harness;

/// <summary>Where things are in the checkout, found by walking up to ReviewBot.sln.</summary>
public static class Paths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The app's own build output, in the configuration this bench was built with
    /// (the project reference makes `dotnet run -c Release` build both).</summary>
    public static string AppDll => Path.Combine(Root, "functions", "ReviewBot.Functions", "bin", Configuration, "net10.0", "ReviewBot.Functions.dll");

    public static string PullRequestFixture => Path.Combine(Root, "tests", "ReviewBot.Tests", "TestData", "github", "pull_request.opened.json");

    public static string Azurite => Path.Combine(Root, "node_modules", ".bin", "azurite");

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ReviewBot.sln"))) return dir.FullName;
        throw new InvalidOperationException("ReviewBot.sln not found above the current or the bench's directory.");
    }
}
