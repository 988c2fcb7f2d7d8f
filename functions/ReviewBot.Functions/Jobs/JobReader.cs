using System.Globalization;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Configuration;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// Reads one job definition from YAML nodes: a <c>jobs:</c> entry of the configuration file, or an API request body
/// (JSON turned into nodes by <see cref="JobJson"/>), so both have one shape and one set of messages. Shape errors and
/// <see cref="JobValidator"/> and <see cref="JobSize"/> errors go to <paramref name="report"/> with the node they concern and the field path.
/// </summary>
/// <param name="environment">File mode: secrets must be <c>${env:NAME}</c> and take NAME's value from here. Null in
/// API mode: secrets are literal, and "***" keeps the value stored before (<paramref name="keptSecrets"/>).</param>
internal sealed class JobReader(
    Action<YamlNode, string, string> report,
    EnvReferences? environment,
    IReadOnlyDictionary<string, string>? keptSecrets = null) : YamlReader(report)
{
    public const string Hidden = "***";
    internal static readonly string[] Keys =
        ["trigger", "repository", "cloneUrl", "ref", "nodeLabels", "steps", "variables", "secrets", "timeout", "retries", "concurrency", "misfire", "enabled"];
    private static readonly string[] TriggerKeys = ["cron", "timeZone", "prMerged", "tagCreated", "push", "poll", "manual"];

    private readonly Dictionary<string, YamlNode> _nodes = new(StringComparer.Ordinal);
    private bool _failed;

    protected override void Report(YamlNode node, string path, string message)
    {
        _failed = true;
        base.Report(node, path, message);
    }

    /// <summary>The definition, or null when anything is wrong (all of it reported).</summary>
    public JobDefinition? Read(string name, YamlNode keyNode, YamlNode body, JobValidationContext context, JobOrigin origin)
    {
        _nodes[""] = keyNode;
        _nodes["name"] = keyNode;
        JobTrigger? trigger = null;
        string? repository = null, cloneUrl = null, @ref = null, nodeLabels = null;
        IReadOnlyList<JobStep>? steps = null;
        Dictionary<string, string>? variables = null, secrets = null;
        TimeSpan? timeout = null;
        int? retries = null;
        ConcurrencyPolicy? concurrency = null;
        MisfirePolicy? misfire = null;
        bool? enabled = null;

        if (body is not YamlMappingNode mapping)
        {
            Report(body, "", $"expected a mapping of job settings ({string.Join(", ", Keys)}), found {Describe(body)}");
            return null;
        }

        foreach (var (keyItem, value) in mapping.Children)
        {
            var key = (keyItem as YamlScalarNode)?.Value ?? "";
            _nodes[key] = value;
            switch (key)
            {
                case "trigger": trigger = ReadTrigger(value); break;
                case "repository": repository = ReadScalar(value, key); break;
                case "cloneUrl": cloneUrl = ReadScalar(value, key); break;
                case "ref": @ref = ReadScalar(value, key); break;
                case "nodeLabels": nodeLabels = ReadScalar(value, key); break;
                case "steps": steps = ReadSteps(value); break;
                case "variables": variables = ReadMap(value, key, secret: false); break;
                case "secrets": secrets = ReadMap(value, key, secret: true); break;
                case "timeout": timeout = ReadDuration(value, key, text => $"bad timeout '{text}'; write a duration such as \"90s\", \"30m\", \"1h30m\" or \"00:30:00\""); break;
                case "retries": retries = ReadInt(value, key); break;
                case "concurrency": concurrency = ReadEnum<ConcurrencyPolicy>(value, key, ["allow", "forbid", "replace"]); break;
                case "misfire": misfire = ReadEnum<MisfirePolicy>(value, key, ["fireOnce", "skip"]); break;
                case "enabled": enabled = ReadBool(value, key); break;
                default: UnknownKey(keyItem, key, key, "job setting", Keys); break;
            }
        }

        if (trigger is null && !_nodes.ContainsKey("trigger")) Report(keyNode, "trigger", "a trigger is required: manual, { cron: \"0 0 2 * * *\" }, { push: \"^main$\" }, …");
        if (repository is null && !_nodes.ContainsKey("repository")) Report(keyNode, "repository", "a repository (\"owner/name\") is required");
        if (steps is null && !_nodes.ContainsKey("steps")) Report(keyNode, "steps", "at least one step is required, e.g. [\"make test\"]");
        if (_failed || trigger is null || repository is null || steps is null) return null;

        var job = new JobDefinition
        {
            Name = name, Trigger = trigger, Repository = repository.Trim(), CloneUrl = cloneUrl, Ref = @ref ?? "main",
            NodeLabels = nodeLabels ?? "", Steps = steps, Variables = variables ?? [], Secrets = secrets ?? [],
            Timeout = timeout ?? TimeSpan.FromMinutes(30), Retries = retries ?? 0, Concurrency = concurrency ?? ConcurrencyPolicy.Allow,
            Misfire = misfire ?? MisfirePolicy.FireOnce, Enabled = enabled ?? true, Origin = origin,
        };
        var errors = JobValidator.Validate(job, context);
        if (errors.Count == 0 && JobSize.Check(job) is { } tooLarge) errors = [tooLarge];
        foreach (var error in errors) Report(NodeFor(error.Field), error.Field, error.Message);
        return _failed ? null : job;
    }

    private JobTrigger? ReadTrigger(YamlNode node)
    {
        if (node is YamlScalarNode && ReadScalar(node, "trigger") is { } word)
        {
            return word.ToLowerInvariant() switch
            {
                "manual" => new JobTrigger(JobTriggerKind.Manual),
                "push" => new JobTrigger(JobTriggerKind.Push),
                "poll" => new JobTrigger(JobTriggerKind.Poll),
                "prmerged" => new JobTrigger(JobTriggerKind.PrMerged),
                "tagcreated" => new JobTrigger(JobTriggerKind.TagCreated),
                _ => Report<JobTrigger>(node, "trigger", $"unknown trigger '{word}'; write manual, push, poll, prMerged, tagCreated, or a mapping such as {{ cron: \"0 0 2 * * *\" }}"),
            };
        }
        if (node is not YamlMappingNode mapping)
            return Report<JobTrigger>(node, "trigger", $"expected manual or a mapping such as {{ cron: \"0 0 2 * * *\", timeZone: Europe/Berlin }}, found {Describe(node)}");

        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyItem, value) in mapping.Children)
        {
            var key = (keyItem as YamlScalarNode)?.Value ?? "";
            if (!TriggerKeys.Contains(key)) UnknownKey(keyItem, key, $"trigger.{key}", "trigger", TriggerKeys);
            else { entries[key] = value; _nodes[$"trigger.{key}"] = value; }
        }
        var kinds = entries.Keys.Where(k => k != "timeZone").ToList();
        if (kinds.Count != 1)
            return Report<JobTrigger>(node, "trigger", kinds.Count == 0 ? "names no trigger (cron, prMerged, tagCreated, push, poll or manual)" : $"names {kinds.Count} triggers ({string.Join(", ", kinds)}); a job has one");
        if (entries.ContainsKey("timeZone") && kinds[0] != "cron")
            return Report<JobTrigger>(entries["timeZone"], "trigger.timeZone", "only a cron trigger takes a time zone");

        var body = entries[kinds[0]];
        string? Optional(string field) => IsNull(body) ? null : ReadScalar(body, field);
        switch (kinds[0])
        {
            case "cron":
                return new JobTrigger(JobTriggerKind.Cron, Cron: ReadScalar(body, "trigger.cron") ?? "",
                    TimeZone: entries.TryGetValue("timeZone", out var zone) ? ReadScalar(zone, "trigger.timeZone") : null);
            case "prMerged":
                string? source = null, target = null;
                if (!IsNull(body) && body is not YamlMappingNode) return Report<JobTrigger>(body, "trigger.prMerged", "expected a mapping { source: regex, target: regex }");
                foreach (var (keyItem, value) in (body as YamlMappingNode)?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
                {
                    var key = (keyItem as YamlScalarNode)?.Value ?? "";
                    _nodes[$"trigger.prMerged.{key}"] = value;
                    if (key == "source") source = ReadScalar(value, "trigger.prMerged.source");
                    else if (key == "target") target = ReadScalar(value, "trigger.prMerged.target");
                    else Report(keyItem, $"trigger.prMerged.{key}", $"unknown setting '{key}' (expected source or target)");
                }
                return new JobTrigger(JobTriggerKind.PrMerged, SourceBranch: source, TargetBranch: target);
            case "tagCreated": return new JobTrigger(JobTriggerKind.TagCreated, Tag: Optional("trigger.tagCreated"));
            case "push": return new JobTrigger(JobTriggerKind.Push, Branch: Optional("trigger.push"));
            case "poll": return new JobTrigger(JobTriggerKind.Poll, Branch: Optional("trigger.poll"));
            default: return new JobTrigger(JobTriggerKind.Manual);
        }
    }

    private List<JobStep>? ReadSteps(YamlNode node)
    {
        if (node is not YamlSequenceNode list) return Report<List<JobStep>>(node, "steps", $"expected a list of steps such as [\"make\", {{ name: test, run: \"make test\" }}], found {Describe(node)}");
        var steps = new List<JobStep>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var path = $"steps[{i}]";
            _nodes[path] = item;
            if (item is YamlScalarNode)
            {
                steps.Add(new JobStep($"step {i + 1}", ReadScalar(item, path) ?? ""));
                _nodes[path + ".run"] = item;
                continue;
            }
            if (item is not YamlMappingNode step) { Report(item, path, $"expected a command or {{ name, run }}, found {Describe(item)}"); continue; }
            string? name = null, run = null;
            foreach (var (keyItem, value) in step.Children)
            {
                var key = (keyItem as YamlScalarNode)?.Value ?? "";
                _nodes[$"{path}.{key}"] = value;
                if (key == "name") name = ReadScalar(value, $"{path}.name");
                else if (key == "run") run = ReadScalar(value, $"{path}.run");
                else Report(keyItem, $"{path}.{key}", $"unknown step setting '{key}' (expected name or run)");
            }
            if (run is null && !_nodes.ContainsKey($"{path}.run")) Report(item, $"{path}.run", "a step needs a command (run)");
            steps.Add(new JobStep(name ?? $"step {i + 1}", run ?? ""));
        }
        return steps;
    }

    private Dictionary<string, string>? ReadMap(YamlNode node, string field, bool secret)
    {
        if (IsNull(node)) return [];
        if (node is not YamlMappingNode mapping) return Report<Dictionary<string, string>>(node, field, $"expected a mapping of NAME: value, found {Describe(node)}");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyItem, value) in mapping.Children)
        {
            var name = (keyItem as YamlScalarNode)?.Value ?? "";
            var path = $"{field}.{name}";
            _nodes[path] = value;
            var text = ReadScalar(value, path) ?? "";
            map[name] = secret ? Secret(text, value, path, name) ?? "" : text;
        }
        return map;
    }

    private string? Secret(string text, YamlNode node, string path, string name)
    {
        if (environment is null)
        {
            if (text != Hidden) return text;
            return keptSecrets?.TryGetValue(name, out var kept) == true ? kept
                : Report<string>(node, path, $"\"{Hidden}\" keeps a stored secret's value, but the job has no secret '{name}'; give its value");
        }
        if (!EnvReferences.TryParse(text, out var variable))
            return Report<string>(node, path, $"a secret in the file must be \"${{env:NAME}}\", taking its value from the setting or environment variable NAME; never the secret itself");
        return environment.ValueOf(variable)
            ?? Report<string>(node, path, $"{text}: the setting or environment variable '{variable}' is not set");
    }

    private int? ReadInt(YamlNode node, string field) =>
        ReadScalar(node, field) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : Report<int?>(node, field, $"expected a whole number, found '{text}'");

    private T? ReadEnum<T>(YamlNode node, string field, string[] names) where T : struct, Enum =>
        ReadScalar(node, field) is not { } text ? null
        : Enum.TryParse<T>(text.Replace("-", "").Replace(" ", "").Replace("_", ""), ignoreCase: true, out var value) && !int.TryParse(text, out _) ? value
        : Report<T?>(node, field, $"unknown {field} '{text}' (expected one of: {string.Join(", ", names)})");

    /// <summary>The node of a field, or of the nearest enclosing field that has one.</summary>
    private YamlNode NodeFor(string field)
    {
        for (var path = field; ; path = path.LastIndexOfAny(['.', '[']) is var cut and > 0 ? path[..cut] : "")
            if (_nodes.TryGetValue(path, out var node) || path.Length == 0) return node ?? _nodes[""];
    }
}
