namespace ReviewBot.Core;

/// <summary>
/// The caps on every field ReviewBot stores from outside (webhooks, the jobs API, agents), in one place (README
/// "Limits"). Lengths are in UTF-16 characters, as Table Storage counts them: one string property holds at most 64 KiB
/// = 32,768 characters, and a task is one such property (the app's TaskStore). The caps are chosen so that every part
/// from outside fits together with the largest history in one task row; the app's TaskRowFit guarantees it.
/// Ingests refuse a value above its cap with a 400 naming the field; agents' values are cut on arrival.
/// </summary>
public static class FieldLimits
{
    /// <summary>"owner/name" or a GitLab path_with_namespace. GitHub allows 39 + 1 + 100.</summary>
    public const int Repository = 256;

    /// <summary>A clone URL.</summary>
    public const int CloneUrl = 2048;

    /// <summary>A branch or tag name, with or without <c>refs/heads/</c>.</summary>
    public const int Ref = 1024;

    /// <summary>A commit id: 40 hex digits (SHA-1) or 64 (SHA-256).</summary>
    public const int Sha = 64;

    /// <summary>An event's action, a check run's name or external id: short words and ids.</summary>
    public const int Name = 256;

    /// <summary>A pull request's or merge request's number: positive and within <see cref="int"/> (the protocol's type).</summary>
    public const long MaxNumber = int.MaxValue;

    /// <summary>One note of a task's history (a state change and why).</summary>
    public const int Note = 1000;

    /// <summary>A task's error as its row keeps it; an agent's full error (up to <see cref="AgentError"/>) is in the result blob.</summary>
    public const int Error = 2000;

    /// <summary>An agent's error message as received; longer ones are cut.</summary>
    public const int AgentError = 16 * 1024;

    /// <summary>The JSON of one task row; Table Storage's limit for the property is 32,768.</summary>
    public const int TaskRow = 32_000;

    /// <summary>A job definition's JSON (steps, variables, secrets...): it travels in each of its tasks' rows.</summary>
    public const int JobDefinition = 16 * 1024;

    /// <summary>Steps of one job.</summary>
    public const int JobSteps = 100;

    /// <summary>A job step's command line.</summary>
    public const int JobStepRun = 8 * 1024;

    /// <summary>Variables, or secrets, of one job; and the length of one value.</summary>
    public const int JobVariables = 100;
    public const int JobVariableValue = 4096;

    /// <summary>A linter of the configuration file, as it travels in each of its tasks' rows (command, args, env...).</summary>
    public const int LinterSpec = 8 * 1024;

    /// <summary>What an agent reports, per result: findings, lines no parser understood, changed files, a finding's
    /// message, a path. Beyond these the rest is dropped, and a last line says how much.</summary>
    public const int Findings = 10_000;
    public const int UnexpectedLines = 1000;
    public const int ChangedFiles = 10_000;
    public const int Line = 4096;
    public const int Path = 1024;

    /// <summary>A finding's suggested fix: its new text. A longer fix, or one whose lines make no range, is dropped whole
    /// (cutting it would suggest a broken change); the finding stays.</summary>
    public const int FixText = 16 * 1024;

    /// <summary>Null when <paramref name="value"/> fits, else what is wrong with it ("is 40000 characters long; at most 256 are accepted").</summary>
    public static string? Exceeds(string? value, int max) =>
        value is { Length: var n } && n > max ? $"is {n} characters long; at most {max} are accepted" : null;

    /// <summary><paramref name="value"/> cut to <paramref name="max"/> characters, marked with "…" when cut. Never
    /// splits a surrogate pair (a lone surrogate cannot be written as JSON).</summary>
    public static string Cut(string value, int max)
    {
        if (value.Length <= max) return value;
        var keep = Math.Max(0, max - 1);
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1])) keep--;
        return string.Concat(value.AsSpan(0, keep), "…");
    }

    /// <inheritdoc cref="Cut(string, int)"/>
    public static string? CutOrNull(string? value, int max) => value is null ? null : Cut(value, max);
}
