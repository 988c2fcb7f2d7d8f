using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Tasks;

/// <summary>
/// The paths of a task that reviews one module of a monorepo (<see cref="PathScope.Module"/>): the linter runs in the
/// module's directory, so it is given the files relative to that directory, and what it prints relative to that
/// directory is mapped back to repository paths (findings are always repository paths). Other tasks keep repository
/// paths both ways.
/// </summary>
internal static class ModulePaths
{
    /// <summary>The module's directory when the task is a module's with one below the root; else null.</summary>
    private static string? Directory(LinterSpec linter) => linter.Scope?.Module is { Length: > 0 } module ? module : null;

    /// <summary>The files as the linter is given them.</summary>
    public static IReadOnlyList<string> ForLinter(LinterSpec linter, IReadOnlyList<string> files) =>
        Directory(linter) is { } module ? [.. files.Select(f => f[(module.Length + 1)..])] : files;

    /// <summary>The findings with repository paths: a relative path is read from the module's directory, an absolute
    /// one under the checkout loses the checkout's prefix.</summary>
    public static ParseResult ToRepository(LinterSpec linter, ParseResult parsed, string checkout)
    {
        if (Directory(linter) is not { } module) return parsed;
        var root = new PathNormalizer(checkout);
        var findings = parsed.Findings.Select(f =>
        {
            if (IsRooted(f.File)) return f with { File = root.Normalize(f.File) };
            return f with { File = $"{module}/{f.File}" };
        }).ToList();
        return parsed with { Findings = findings };
    }

    /// <summary>The directory the parser reads relative paths from.</summary>
    public static string ParseRoot(LinterSpec linter, string checkout, string workingDirectory) =>
        Directory(linter) is null ? checkout : workingDirectory;

    private static bool IsRooted(string path) => path.StartsWith('/') || (path.Length >= 2 && path[1] == ':');
}
