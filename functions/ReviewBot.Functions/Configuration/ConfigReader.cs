using ReviewBot.Core.Review;
using ReviewBot.Functions.Jobs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// Maps the YAML representation model to <see cref="ConfigDocument"/> by hand, so every error has the line and column of its
/// node. Reports into <paramref name="errors"/> and keeps going, so one load finds all errors. Not thread-safe: one per load.
/// </summary>
/// <param name="environment">Where <c>${env:NAME}</c> secrets of jobs take their values from.</param>
internal sealed partial class ConfigReader(ConfigErrorList errors, Func<string, string?> environment)
{
    // A new top-level section (routing:, jobs:, …) is a name here plus a case in Read.
    private static readonly string[] TopLevelKeys = ["linters", "repos", "jobs", "reminders", "trust"];
    private static readonly string[] ScopeKeys = ["nodeLabels", "report", "linters", "trust"];
    private static readonly string[] LinterKeys =
        ["enable", "languages", "command", "args", "env", "workDir", "format", "nodeLabels", "timeout", "filter", "failOn", "report"];

    /// <summary>The document, or null when the YAML itself is malformed (the error is reported).</summary>
    public ConfigDocument? Read(string yaml)
    {
        if (!TryLoadRoot(yaml, out var root))
        {
            return null;
        }

        if (root is null)
        {
            return ConfigDocument.Empty;
        }

        IReadOnlyDictionary<string, LinterSpec> linters = new Dictionary<string, LinterSpec>();
        IReadOnlyList<ScopeSpec> scopes = [];
        YamlNode? jobs = null;
        RemindersConfig? reminders = null;
        TrustSpec? trust = null;
        foreach (var (key, keyNode, value) in Entries(root, "the file", "sections (linters, repos, jobs, reminders, trust)"))
        {
            switch (key)
            {
                case "linters": linters = ReadLinters(value, "linters"); break;
                case "repos": scopes = ReadScopes(value); break;
                case "jobs": jobs = value; break;
                case "reminders": reminders = ReadReminders(value); break;
                case "trust": trust = ReadTrust(value, "trust"); break;
                default: UnknownKey(keyNode, key, key, "top-level key", TopLevelKeys); break;
            }
        }

        // Jobs last: whether a job's repository is known depends on repos:, wherever it is in the file.
        var jobList = jobs is null ? [] : ReadJobs(jobs, new JobValidationContext([.. scopes.Select(s => s.Key)]));
        return new ConfigDocument(linters, scopes) { Jobs = jobList, Reminders = reminders, Trust = trust };
    }

    private List<JobDefinition> ReadJobs(YamlNode node, JobValidationContext context)
    {
        var jobs = new List<JobDefinition>();
        foreach (var (name, keyNode, value) in Entries(node, "jobs", "job names"))
        {
            var reader = new JobReader((at, field, message) => errors.Add(at, field.Length == 0 ? $"jobs.{name}: {message}" : $"jobs.{name}.{field}: {message}"), environment);
            if (reader.Read(name, keyNode, value, context, JobOrigin.Config) is { } job)
            {
                jobs.Add(job);
            }
        }

        return jobs;
    }

    /// <summary>False when the YAML is malformed; <paramref name="root"/> is null for an empty file.</summary>
    private bool TryLoadRoot(string yaml, out YamlNode? root)
    {
        root = null;
        var scanner = new Scanner(new StringReader(yaml), skipComments: true);
        var stream = new YamlStream();
        try
        {
            stream.Load(new NestingLimitedParser(new Parser(scanner), ConfigOptions.MaxNesting));
        }
        catch (YamlException ex)
        {
            errors.Add(ex.Start, $"malformed YAML: {ex.Message}");
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these instead of a YamlException on some broken input (an unclosed '[' is one); the scanner
            // still knows where it stopped.
            errors.Add(scanner.CurrentPosition, "malformed YAML: cannot read from here on (is a '[', '{' or quote above not closed?)");
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add(stream.Documents[1].RootNode, "the file must hold one YAML document; found a second one ('---')");
        }

        root = stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode) ? null : stream.Documents[0].RootNode;
        return true;
    }

    private Dictionary<string, LinterSpec> ReadLinters(YamlNode node, string path)
    {
        var linters = new Dictionary<string, LinterSpec>(StringComparer.Ordinal);
        foreach (var (name, keyNode, value) in Entries(node, path, "linter names"))
        {
            var linterPath = $"{path}.{name}";
            if (!IsLinterName(name))
            {
                errors.Add(keyNode, $"{linterPath}: a linter name may contain only letters, digits, '.', '_' and '-', and starts with a letter or digit");
            }

            linters[name] = ReadLinter(name, keyNode, value, linterPath);
        }

        return linters;
    }

    private LinterSpec ReadLinter(string name, YamlNode keyNode, YamlNode node, string path)
    {
        var spec = new LinterSpec(name, path, keyNode.Start);
        foreach (var (key, fieldKey, value) in Entries(node, path, "linter settings"))
        {
            var fieldPath = $"{path}.{key}";
            switch (key)
            {
                case "enable": spec.Enable = ReadBool(value, fieldPath); break;
                case "languages": spec.Languages = ReadLanguages(value, fieldPath); break;
                case "command": spec.Command = ReadCommand(value, fieldPath); break;
                case "args": spec.Args = ReadStringList(value, fieldPath); break;
                case "env": spec.Env = ReadEnv(value, fieldPath); break;
                case "workDir": spec.WorkDir = ReadWorkDir(value, fieldPath); break;
                case "format": spec.Format = ReadFormat(value, fieldPath); break;
                case "nodeLabels": spec.NodeLabels = ReadNodeLabels(value, fieldPath); break;
                case "timeout": spec.Timeout = ReadTimeout(value, fieldPath); break;
                case "filter": spec.Filter = ReadFilter(value, fieldPath); break;
                case "failOn": spec.FailOn = ReadFailOn(value, fieldPath); break;
                case "report": spec.Report = ReadReport(value, fieldPath); break;
                default: UnknownKey(fieldKey, key, fieldPath, "linter setting", LinterKeys); break;
            }
        }

        return spec;
    }

    private List<ScopeSpec> ReadScopes(YamlNode node)
    {
        var scopes = new List<ScopeSpec>();
        var seen = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, keyNode, value) in Entries(node, "repos", "orgs and repositories"))
        {
            var path = $"repos.{key}";
            var valid = true;
            if (CheckRepositoryKey(key) is { } problem)
            {
                errors.Add(keyNode, $"{path}: {problem}");
                valid = false;
            }
            else if (seen.TryGetValue(key, out var first))
            {
                errors.Add(keyNode, $"{path}: same as '{((YamlScalarNode)first).Value}' on line {first.Start.Line} (GitHub names ignore case)");
                valid = false;
            }
            else
            {
                seen.Add(key, keyNode);
            }

            // Read the body even under a bad key, to report its errors too.
            var scope = ReadScope(key, value, path);
            if (valid)
            {
                scopes.Add(scope);
            }
        }

        return scopes;
    }

    private ScopeSpec ReadScope(string key, YamlNode node, string path)
    {
        NodeLabelsSpec? nodeLabels = null;
        ReportMode? report = null;
        TrustSpec? trust = null;
        IReadOnlyDictionary<string, LinterSpec> linters = new Dictionary<string, LinterSpec>();
        foreach (var (field, fieldKey, value) in Entries(node, path, "settings (nodeLabels, report, linters, trust)"))
        {
            var fieldPath = $"{path}.{field}";
            switch (field)
            {
                case "nodeLabels": nodeLabels = ReadNodeLabels(value, fieldPath); break;
                case "report": report = ReadReport(value, fieldPath); break;
                case "linters": linters = ReadLinters(value, fieldPath); break;
                case "trust": trust = ReadTrust(value, fieldPath); break;
                default: UnknownKey(fieldKey, field, fieldPath, "key", ScopeKeys); break;
            }
        }

        return new ScopeSpec(key, nodeLabels, linters) { Report = report, Trust = trust };
    }

    /// <summary>The entries of a mapping with string keys; a null value counts as an empty mapping.</summary>
    private IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlNode node, string path, string what)
    {
        if (IsNull(node))
        {
            yield break;
        }

        if (node is not YamlMappingNode mapping)
        {
            errors.Add(node, $"{path}: expected a mapping of {what}, found {Describe(node)}");
            yield break;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: { Length: > 0 } key } && !IsNull(keyNode))
            {
                yield return (key, keyNode, value);
            }
            else
            {
                errors.Add(keyNode, $"{path}: keys must be non-empty strings, found {Describe(keyNode)}");
            }
        }
    }

    private void UnknownKey(YamlNode keyNode, string key, string path, string kind, string[] known)
    {
        var like = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        errors.Add(keyNode, like is null
            ? $"{path}: unknown {kind} '{key}' (expected one of: {string.Join(", ", known)})"
            : $"{path}: unknown {kind} '{key}' (did you mean '{like}'?)");
    }

    /// <summary>A YAML null: an empty value, "~" or "null", unquoted.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" } scalar
        && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific || scalar.Tag.Value == "tag:yaml.org,2002:null");

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };
}
