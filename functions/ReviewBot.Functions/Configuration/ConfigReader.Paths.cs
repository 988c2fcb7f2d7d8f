using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Paths;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

// The path settings of a linter: which changed files count (paths, ignore) and how a monorepo fans out (modules).
internal sealed partial class ConfigReader
{
    /// <summary>Globs in gitignore syntax (<see cref="GitignorePattern"/>), each checked.</summary>
    private IReadOnlyList<string>? ReadPatterns(YamlNode node, string path)
    {
        if (ReadItems(node, path) is not { } items) return null;
        var patterns = new List<string>();
        foreach (var (item, itemNode) in items)
        {
            if (GitignorePattern.Problem(item) is { } problem) Report(itemNode, path, $"'{item}': {problem}");
            else patterns.Add(item);
        }

        return patterns;
    }

    /// <summary><c>auto</c>, or a list of module directories inside the repository ("." = the root).</summary>
    private ModuleSetting? ReadModules(YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return ReadScalar(node, path) is not { } text ? null
                : text.Trim() == "auto" ? ModuleSetting.Detect
                : Report<ModuleSetting>(node, path, $"expected 'auto' or a list of module directories, found {Describe(node)}");
        }

        if (ReadItems(node, path) is not { } items) return null;
        var directories = new List<string>();
        foreach (var (item, itemNode) in items)
        {
            var dir = item.Trim().Replace('\\', '/').Trim('/');
            dir = dir is "." ? "" : dir.StartsWith("./", StringComparison.Ordinal) ? dir[2..] : dir;
            if (item.TrimStart().StartsWith('/') || dir.Split('/').Any(s => s is ".." or "." || s.Length == 0 && dir.Length > 0) || dir.IndexOfAny(['*', '?', '[', ':']) >= 0)
                Report(itemNode, path, $"'{item}' is not a directory inside the repository, relative to its root (\".\" is the root; no globs)");
            else if (!directories.Contains(dir)) directories.Add(dir);
        }

        return new ModuleSetting(false, directories);
    }

    /// <summary>File names (globs without '/') whose directory is a module.</summary>
    private IReadOnlyList<string>? ReadModuleMarkers(YamlNode node, string path)
    {
        if (ReadItems(node, path) is not { } items) return null;
        var markers = new List<string>();
        foreach (var (item, itemNode) in items)
        {
            if (item.Contains('/') || item.StartsWith('!') || GitignorePattern.Problem(item) is not null)
                Report(itemNode, path, $"'{item}' is not a file name pattern such as \"go.mod\" or \"*.csproj\"");
            else markers.Add(item);
        }

        return markers.Count == 0 && items.Count == 0 ? Report<IReadOnlyList<string>>(node, path, "must name at least one marker file") : markers;
    }
}
