using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

/// <summary>What the server's file allows a repository's own file (<see cref="RepositoryConfig"/>).</summary>
/// <param name="ServerLinters">The linters the server defines for the repository (all levels merged), by name.</param>
/// <param name="AllowCommands">The server's <c>allowRepoCommands</c> for the repository's org or the repository.</param>
/// <param name="NodeLabels">The org's and repository's scope-wide <c>nodeLabels</c>, ANDed; "" = none.</param>
internal sealed record RepositoryPolicy(string Repository, IReadOnlyDictionary<string, LinterSpec> ServerLinters, bool AllowCommands, string NodeLabels = "");

// A repository's own .reviewbot.yml: the same linter settings as the server's file, under the server's policy.
internal sealed partial class ConfigReader
{
    /// <summary>Settings that choose what runs on the agents: only with the server's <c>allowRepoCommands: true</c>.</summary>
    private static readonly string[] CommandKeys = ["command", "env", "timeout"];

    /// <summary>The repository file's linters, or null when its YAML is malformed; every refusal is reported where it
    /// stands. The capabilities' sections (<paramref name="sections"/>) read their keys into <paramref name="values"/>.</summary>
    public IReadOnlyDictionary<string, LinterSpec>? ReadRepositoryFile(
        string yaml, RepositoryPolicy policy, IReadOnlyList<IRepositorySection> sections, Dictionary<Type, object> values)
    {
        if (!TryLoadRoot(yaml, out var root)) return null;
        var linters = new Dictionary<string, LinterSpec>(StringComparer.Ordinal);
        if (root is null) return linters;
        var context = new RepositorySectionContext(_errors, policy);
        foreach (var (key, keyNode, value) in Entries(root, "the file", "sections (linters)"))
        {
            switch (key)
            {
                case "linters":
                    foreach (var (name, nameNode, body) in Entries(value, "linters", "linter names"))
                    {
                        if (ReadRepositoryLinter(name, nameNode, body, policy) is { } spec) linters[name] = spec;
                    }
                    break;
                case "trust":
                    Report(keyNode, key, "trust settings are the server's; a repository's file cannot change them");
                    break;
                case "repos":
                    Report(keyNode, key, "a repository's file configures that repository only; 'repos' belongs in the server's file");
                    break;
                default:
                    if (sections.FirstOrDefault(s => s.Name == key) is { } section) values[section.ValueType] = section.Read(value, context);
                    else UnknownKey(keyNode, key, key, "top-level key of a repository's file", ["linters", .. sections.Select(s => s.Name)]);
                    break;
            }
        }

        return linters;
    }

    private LinterSpec? ReadRepositoryLinter(string name, YamlNode nameNode, YamlNode body, RepositoryPolicy policy)
    {
        var path = $"linters.{name}";
        policy.ServerLinters.TryGetValue(name, out var server);
        var allowed = true;
        if (server is null && !policy.AllowCommands)
        {
            Report(nameNode, path, $"the server defines no linter '{name}' for {policy.Repository} (it defines: {Names(policy)}); " +
                "a repository's file may define linters only where the server's policy says allowRepoCommands: true");
            allowed = false;
        }

        if (body is YamlMappingNode mapping)
        {
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (CommandKeys.Contains(key) && !policy.AllowCommands)
                {
                    Report(keyNode, $"{path}.{key}", $"'{key}' decides what runs on the agents; a repository's file may set it only where the server's policy says allowRepoCommands: true");
                    allowed = false;
                }
                else if (key == "allowedArgs")
                {
                    Report(keyNode, $"{path}.{key}", "which arguments a repository may add is the server's decision");
                    allowed = false;
                }
                else if (key == "args" && !policy.AllowCommands && value is YamlSequenceNode args)
                {
                    var patterns = server?.AllowedArgs ?? [];
                    for (var i = 0; i < args.Children.Count; i++)
                    {
                        if (args.Children[i] is YamlScalarNode { Value: { } arg } && !patterns.Any(p => WildcardMatches(p, arg)))
                        {
                            Report(args.Children[i], $"{path}.args[{i}]", patterns.Count == 0
                                ? $"the server allows no added arguments for '{name}' (its allowedArgs is empty)"
                                : $"'{arg}' is not an argument the server allows for '{name}' (allowedArgs: {string.Join(", ", patterns)})");
                            allowed = false;
                        }
                    }
                }
            }
        }

        var spec = ReadLinter(name, nameNode, body, path);
        // args add to the server's; nodeLabels narrow the server's (ANDed), never replace them.
        (spec.AddArgs, spec.Args) = (spec.Args, null);
        (spec.NarrowLabels, spec.NodeLabels) = (spec.NodeLabels, null);
        return allowed ? spec : null;
    }

    private static string Names(RepositoryPolicy policy) =>
        policy.ServerLinters.Count == 0 ? "none" : string.Join(", ", policy.ServerLinters.Keys.Order(StringComparer.Ordinal));

    /// <summary>'*' stands for any text; everything else is literal.</summary>
    internal static bool WildcardMatches(string pattern, string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, "^" + string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$",
            System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
