namespace ReviewBot.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The checkout root: the folder holding ReviewBot.sln.</summary>
    public static string Root { get; } = Find();

    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReviewBot.sln"))) return dir.FullName;
        throw new InvalidOperationException("ReviewBot.sln not found above " + AppContext.BaseDirectory);
    }
}
