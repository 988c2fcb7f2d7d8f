namespace ReviewBot.Core.Paths;

/// <summary>A linter's <c>modules:</c>: <c>auto</c> (every directory holding a marker file is a module) or a fixed
/// list of module directories ('/' separated, relative to the repository root, "" = the root).</summary>
public sealed record ModuleSetting(bool Auto, IReadOnlyList<string> Directories)
{
    public static ModuleSetting Detect { get; } = new(true, []);

    /// <summary>The marker files of <c>modules: auto</c> when a linter names none.</summary>
    public static IReadOnlyList<string> DefaultMarkers { get; } = ["go.mod", "package.json", "*.csproj", "pyproject.toml"];

    public override string ToString() => Auto ? "auto" : $"[{string.Join(", ", Directories)}]";
}
