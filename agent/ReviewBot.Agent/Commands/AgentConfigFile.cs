using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Agent.Commands;

/// <summary>
/// <c>--config agent.yaml</c>: every flag of the agent as a key of one YAML mapping (camelCase: <c>workDir</c> for
/// <c>--work-dir</c>), so a service needs no long command line. Flags given on the command line override the file.
/// The secret never comes from the file itself: <c>tokenFile</c> names a file holding it (or REVIEWBOT_TOKEN is set).
/// Relative paths in the file (<c>workDir</c>, <c>tokenFile</c>, hooks) are relative to the file's folder, so a
/// service started from <c>/</c> finds them. Errors name the file, line and column.
/// </summary>
internal sealed class AgentConfigFile
{
    /// <summary>The keys, each with its flag.</summary>
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["server"] = "--server",
        ["tokenFile"] = "--token-file",
        ["labels"] = "--labels",
        ["capacity"] = "--capacity",
        ["workDir"] = "--work-dir",
        ["name"] = "--name",
        ["exclusive"] = "--exclusive",
        ["once"] = "--once",
        ["idleExit"] = "--idle-exit",
        ["hookPreTask"] = "--hook-pre-task",
        ["hookPostTask"] = "--hook-post-task",
    };

    /// <summary>Keys whose values are paths, resolved against the file's folder.</summary>
    private static readonly HashSet<string> PathKeys = ["tokenFile", "workDir", "hookPreTask", "hookPostTask"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    private AgentConfigFile(string path) => Path = path;

    /// <summary>Absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>Problems found, each "file:line:column: key: what is wrong"; the file is not used when there are any.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The value of a key as the flag would take it (a list joined by commas), or null when absent.</summary>
    public string? Get(string key) => _values.GetValueOrDefault(key);

    public static AgentConfigFile Load(string path)
    {
        var file = new AgentConfigFile(System.IO.Path.GetFullPath(path));
        string text;
        try
        {
            text = File.ReadAllText(file.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file._errors.Add($"--config: cannot read {file.Path}: {e.Message}");
            return file;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            file._errors.Add($"{file.Where(e.Start)}: {e.InnerException?.Message ?? e.Message}");
            return file;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return file; // an empty file sets nothing
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            file._errors.Add($"{file.Where(stream.Documents[0].RootNode.Start)}: the file must be a mapping of settings (server: …, labels: […])");
            return file;
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (key == "token")
            {
                file._errors.Add($"{file.Where(keyNode.Start)}: token: the secret does not belong in the config file; put it in a file readable by the agent's user only and name it with tokenFile, or set REVIEWBOT_TOKEN");
                continue;
            }

            if (!Flags.ContainsKey(key))
            {
                file._errors.Add($"{file.Where(keyNode.Start)}: unknown setting '{key}' (known: {string.Join(", ", Flags.Keys)})");
                continue;
            }

            if (file.ValueOf(key, valueNode) is { } value)
            {
                file._values[key] = PathKeys.Contains(key) && value.Length > 0
                    ? System.IO.Path.GetFullPath(value, System.IO.Path.GetDirectoryName(file.Path)!)
                    : value;
            }
        }

        return file;
    }

    private string? ValueOf(string key, YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return scalar.Value ?? "";
            case YamlSequenceNode list when key == "labels":
                var items = new List<string>();
                foreach (var item in list.Children)
                {
                    if (item is not YamlScalarNode { Value: { } label })
                    {
                        _errors.Add($"{Where(item.Start)}: labels: each label is a plain value");
                        return null;
                    }

                    items.Add(label);
                }

                return string.Join(',', items);
            default:
                _errors.Add($"{Where(node.Start)}: {key}: expected a single value{(key == "labels" ? " or a list" : "")}");
                return null;
        }
    }

    private string Where(Mark mark) => $"{System.IO.Path.GetFileName(Path)}:{mark.Line}:{mark.Column}";
}
