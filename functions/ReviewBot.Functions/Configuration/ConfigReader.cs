using ReviewBot.Core.Jobs;
using ReviewBot.Core.Review;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// Maps the YAML representation model to <see cref="ConfigDocument"/> by hand, so every error has the line and column of its
/// node. Reports into the load's error list and keeps going, so one load finds all errors. Reads the file's own sections
/// (linters, repos, trust) and hands every other registered top-level key to its <see cref="IConfigSection"/>. Not
/// thread-safe: one per load.
/// </summary>
internal sealed partial class ConfigReader : YamlReader
{
    private static readonly string[] ScopeKeys = ["nodeLabels", "report", "linters", "trust", "allowRepoCommands"];
    private static readonly string[] LinterKeys =
        ["enable", "languages", "command", "args", "env", "workDir", "format", "nodeLabels", "timeout", "filter", "failOn", "report", "paths", "ignore", "modules", "moduleMarkers", "allowedArgs", "summary", "fixed"];

    private readonly ConfigErrorList _errors;
    private readonly IReadOnlyList<IConfigSection> _sections;
    private readonly EnvReferences _environment;

    /// <summary>The file's own sections and the capabilities' (in their order) between repos and trust.</summary>
    private readonly string[] _topLevelKeys;

    /// <param name="errors">Where every problem goes, with its position.</param>
    /// <param name="sections">The capabilities' sections, in the order the messages list them.</param>
    /// <param name="environment">Where <c>${env:NAME}</c> values of the sections come from.</param>
    public ConfigReader(ConfigErrorList errors, IReadOnlyList<IConfigSection> sections, EnvReferences environment)
        : base(errors)
    {
        _errors = errors;
        _sections = sections;
        _environment = environment;
        _topLevelKeys = ["linters", "repos", .. sections.Select(s => s.Name), "trust"];
        if (_topLevelKeys.Distinct(StringComparer.Ordinal).Count() != _topLevelKeys.Length)
            throw new ArgumentException($"two sections of the file have one name: {string.Join(", ", _topLevelKeys)}", nameof(sections));
    }

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
        var sectionNodes = new Dictionary<IConfigSection, YamlNode>();
        TrustSpec? trust = null;
        foreach (var (key, keyNode, value) in Entries(root, "the file", $"sections ({string.Join(", ", _topLevelKeys)})"))
        {
            switch (key)
            {
                case "linters": linters = ReadLinters(value, "linters"); break;
                case "repos": scopes = ReadScopes(value); break;
                case "trust": trust = ReadTrust(value, "trust"); break;
                default:
                    if (_sections.FirstOrDefault(s => s.Name == key) is { } section) sectionNodes[section] = value;
                    else UnknownKey(keyNode, key, key, "top-level key", _topLevelKeys);
                    break;
            }
        }

        // The capabilities' sections last: whether a job's repository is known depends on repos:, wherever it is in the file.
        var context = new ConfigSectionContext(_errors, _environment, [.. scopes.Select(s => s.Key)]);
        var values = new Dictionary<Type, object>();
        foreach (var section in _sections)
        {
            if (sectionNodes.TryGetValue(section, out var node))
            {
                values[section.ValueType] = section.Read(node, context);
            }
        }

        return new ConfigDocument(linters, scopes) { Sections = values, Trust = trust };
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
            _errors.Add(ex.Start, $"malformed YAML: {ex.Message}");
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these instead of a YamlException on some broken input (an unclosed '[' is one); the scanner
            // still knows where it stopped.
            _errors.Add(scanner.CurrentPosition, "malformed YAML: cannot read from here on (is a '[', '{' or quote above not closed?)");
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            _errors.Add(stream.Documents[1].RootNode, "the file must hold one YAML document; found a second one ('---')");
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
                Report(keyNode, linterPath, $"a linter name may contain only letters, digits, '.', '_' and '-', and starts with a letter or digit");
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
            spec.Positions[key] = fieldKey.Start;
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
                case "summary": spec.Summary = ReadSummary(value, fieldPath); break;
                case "fixed": spec.Fixed = ReadFixed(value, fieldPath); break;
                case "paths": spec.Paths = ReadPatterns(value, fieldPath); break;
                case "ignore": spec.Ignore = ReadPatterns(value, fieldPath); break;
                case "modules": spec.Modules = ReadModules(value, fieldPath); break;
                case "moduleMarkers": spec.ModuleMarkers = ReadModuleMarkers(value, fieldPath); break;
                case "allowedArgs": spec.AllowedArgs = ReadStringList(value, fieldPath); break;
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
            if (RepositoryKey.CheckScope(key) is { } problem)
            {
                Report(keyNode, path, $"{problem}");
                valid = false;
            }
            else if (seen.TryGetValue(key, out var first))
            {
                Report(keyNode, path, $"same as '{((YamlScalarNode)first).Value}' on line {first.Start.Line} (GitHub names ignore case)");
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
        bool? allowRepoCommands = null;
        IReadOnlyDictionary<string, LinterSpec> linters = new Dictionary<string, LinterSpec>();
        var positions = new Dictionary<string, Mark>(StringComparer.Ordinal);
        foreach (var (field, fieldKey, value) in Entries(node, path, "settings (nodeLabels, report, linters, trust, allowRepoCommands)"))
        {
            var fieldPath = $"{path}.{field}";
            positions[field] = fieldKey.Start;
            switch (field)
            {
                case "nodeLabels": nodeLabels = ReadNodeLabels(value, fieldPath); break;
                case "report": report = ReadReport(value, fieldPath); break;
                case "linters": linters = ReadLinters(value, fieldPath); break;
                case "trust": trust = ReadTrust(value, fieldPath); break;
                case "allowRepoCommands": allowRepoCommands = ReadBool(value, fieldPath); break;
                default: UnknownKey(fieldKey, field, fieldPath, "key", ScopeKeys); break;
            }
        }

        return new ScopeSpec(key, nodeLabels, linters) { Report = report, Trust = trust, AllowRepoCommands = allowRepoCommands, Positions = positions };
    }
}
