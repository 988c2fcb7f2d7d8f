using System.Text.RegularExpressions;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Labels;

namespace ReviewBot.Core.Jobs;

/// <summary>One problem with a job definition. <see cref="Field"/> is the path in the definition's shape (the same in
/// the YAML file and the API): "trigger.cron", "steps[1].run", "secrets.TOKEN".</summary>
public sealed record JobFieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>What a definition is checked against beyond itself.</summary>
/// <param name="Scopes">The orgs and repositories the YAML <c>repos:</c> section lists; empty when it lists none, and
/// then any "owner/name" is accepted.</param>
public sealed record JobValidationContext(IReadOnlyCollection<string> Scopes)
{
    public static JobValidationContext Open { get; } = new([]);

    /// <summary>A repository is known when <c>repos:</c> is empty, lists it, or lists its org.</summary>
    public bool Knows(string repository) =>
        Scopes.Count == 0 || Scopes.Any(s => string.Equals(s, repository, StringComparison.OrdinalIgnoreCase)
                                             || string.Equals(s, repository.Split('/')[0], StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Checks a job definition, the same for the YAML file and the API. Pure: no I/O, so tests call it directly. Returns every
/// problem found, each naming its field. (Whether the definition fits its row as stored is the app's check, made once
/// these pass: Jobs/JobSize.)
/// </summary>
public static partial class JobValidator
{
    public const int MaxRetries = 10;
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(7);

    public static IReadOnlyList<JobFieldError> Validate(JobDefinition job, JobValidationContext context)
    {
        var errors = new List<JobFieldError>();
        void Add(string field, string message) => errors.Add(new JobFieldError(field, message));

        if (!IsName(job.Name))
            Add("name", $"'{job.Name}' is not a job name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64");
        CheckTrigger(job.Trigger, Add);
        CheckRepository(job, context, Add);
        // An admin names the job's source, so local paths, file://, http:// and git:// are allowed (SourceSpec.AllowLocal);
        // never an option, a remote helper (ext::) or a host starting with '-'.
        if (FieldLimits.Exceeds(job.CloneUrl, FieldLimits.CloneUrl) is { } longUrl)
            Add("cloneUrl", longUrl);
        else if (job.CloneUrl is { } url && SourceRules.ParseCloneUrl(url, out var why) is null)
            Add("cloneUrl", $"'{url}' {why}");
        if (FieldLimits.Exceeds(job.Ref, FieldLimits.Ref) is { } longRef)
            Add("ref", longRef);
        else if (!SourceRules.IsRefName(job.Ref))
            Add("ref", $"'{job.Ref}' is not a branch or tag name (git check-ref-format; no leading '-' or '+')");
        try { LabelFilter.Parse(job.NodeLabels); }
        catch (LabelFilterSyntaxException e) { Add("nodeLabels", $"{e.Detail} at position {e.Position} of \"{job.NodeLabels}\""); }
        CheckSteps(job, Add);
        CheckVariables(job.Variables, "variables", Add);
        CheckVariables(job.Secrets, "secrets", Add);
        foreach (var both in job.Secrets.Keys.Where(job.Variables.ContainsKey))
            Add($"secrets.{both}", $"'{both}' is also a variable; a name is either a variable or a secret");
        if (job.Timeout <= TimeSpan.Zero || job.Timeout > MaxTimeout)
            Add("timeout", $"must be more than zero and at most {MaxTimeout.TotalDays:0} days, found {job.Timeout}");
        if (job.Retries is < 0 or > MaxRetries)
            Add("retries", $"must be between 0 and {MaxRetries}, found {job.Retries}");
        return errors;
    }

    public static bool IsName(string name) => JobName().IsMatch(name);

    private static void CheckTrigger(JobTrigger trigger, Action<string, string> add)
    {
        switch (trigger.Kind)
        {
            case JobTriggerKind.Cron:
                if (!CronSchedule.TryParseExpression(trigger.Cron, out _, out var cron)) add("trigger.cron", cron);
                if (!CronSchedule.TryFindZone(trigger.TimeZone, out _, out var zone)) add("trigger.timeZone", zone);
                break;
            case JobTriggerKind.PrMerged:
                if (!TriggerPattern.TryParseBranch(trigger.SourceBranch, out _, out var source)) add("trigger.prMerged.source", source);
                if (!TriggerPattern.TryParseBranch(trigger.TargetBranch, out _, out var target)) add("trigger.prMerged.target", target);
                break;
            case JobTriggerKind.TagCreated:
                if (!TriggerPattern.TryParseTag(trigger.Tag, out _, out var tag)) add("trigger.tagCreated", tag);
                break;
            case JobTriggerKind.Push:
                if (!TriggerPattern.TryParseBranch(trigger.Branch, out _, out var branch)) add("trigger.push", branch);
                break;
            case JobTriggerKind.Poll:
                if (trigger.Branch is { } polled && !SourceRules.IsRefName(polled.Trim()))
                    add("trigger.poll", $"'{polled}' is not a branch name");
                break;
        }
        if (trigger.Kind != JobTriggerKind.Cron && (trigger.Cron is not null || trigger.TimeZone is not null))
            add("trigger.cron", "only a cron trigger takes a schedule or a time zone");
    }

    private static void CheckRepository(JobDefinition job, JobValidationContext context, Action<string, string> add)
    {
        if (!job.Repository.Contains('/'))
            add("repository", $"'{job.Repository}' is not a repository; write \"owner/name\"");
        else if (RepositoryKey.CheckScope(job.Repository) is { } problem)
            add("repository", problem);
        else if (job.CloneUrl is null && !context.Knows(job.Repository))
            add("repository", $"unknown repository '{job.Repository}': the configuration's repos: section lists neither it nor its org; list it there or give a cloneUrl");
    }

    private static void CheckSteps(JobDefinition job, Action<string, string> add)
    {
        if (job.Steps.Count == 0) add("steps", "at least one step is required, e.g. [\"make test\"]");
        if (job.Steps.Count > FieldLimits.JobSteps)
        {
            add("steps", $"has {job.Steps.Count} steps; at most {FieldLimits.JobSteps} are accepted");
            return;
        }
        for (var i = 0; i < job.Steps.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(job.Steps[i].Run)) add($"steps[{i}].run", "the command must not be empty");
            else if (FieldLimits.Exceeds(job.Steps[i].Run, FieldLimits.JobStepRun) is { } run) add($"steps[{i}].run", run);
            if (string.IsNullOrWhiteSpace(job.Steps[i].Name)) add($"steps[{i}].name", "the name must not be empty");
            else if (FieldLimits.Exceeds(job.Steps[i].Name, FieldLimits.Name) is { } name) add($"steps[{i}].name", name);
        }
    }

    private static void CheckVariables(IReadOnlyDictionary<string, string> variables, string field, Action<string, string> add)
    {
        if (variables.Count > FieldLimits.JobVariables)
        {
            add(field, $"has {variables.Count} entries; at most {FieldLimits.JobVariables} are accepted");
            return;
        }
        foreach (var name in variables.Keys.Where(n => !EnvName().IsMatch(n) || n.Length > FieldLimits.Name))
            add($"{field}.{name}", $"'{name}' is not an environment variable name (letters, digits and '_', not starting with a digit, at most {FieldLimits.Name})");
        foreach (var (name, value) in variables)
            if (FieldLimits.Exceeds(value, FieldLimits.JobVariableValue) is { } problem) add($"{field}.{name}", problem);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex JobName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();
}
