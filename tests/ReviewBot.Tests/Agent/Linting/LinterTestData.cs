namespace ReviewBot.Tests.Agent.Linting;

/// <summary>Captured linter output under TestData/linters/&lt;tool&gt;/ (see the README.md in each folder).</summary>
internal static class LinterTestData
{
    public static string PathOf(string tool, string file) =>
        Path.Combine(AppContext.BaseDirectory, "TestData", "linters", tool, file);

    public static string Read(string tool, string file) => File.ReadAllText(PathOf(tool, file));
}
