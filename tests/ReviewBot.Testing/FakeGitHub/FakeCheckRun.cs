namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// A check run now: an immutable snapshot replaced on every update. <see cref="Annotations"/> holds every annotation
/// ever sent for it (GitHub appends on each update); <see cref="History"/> has one entry per status/conclusion change,
/// starting with the one it was created in.
/// </summary>
public sealed record FakeCheckRun(
    long Id,
    string Owner,
    string Repo,
    string Name,
    string HeadSha,
    string Status,
    string? Conclusion,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? DetailsUrl,
    string? ExternalId,
    string? OutputTitle,
    string? OutputSummary,
    string? OutputText,
    IReadOnlyList<FakeAnnotation> Annotations,
    IReadOnlyList<FakeCheckRunChange> History)
{
    /// <summary>The buttons the run offers (<c>actions</c>; each update that sends them replaces them).</summary>
    public IReadOnlyList<FakeCheckRunAction> Actions { get; init; } = [];
}

/// <summary>A requested action of a check run, within GitHub's limits (label and identifier 20 characters, description 40).</summary>
public sealed record FakeCheckRunAction(string Label, string Description, string Identifier);

/// <param name="AnnotationLevel">notice, warning or failure.</param>
public sealed record FakeAnnotation(string Path, int StartLine, int EndLine, int? StartColumn, int? EndColumn, string AnnotationLevel,
    string Message, string? Title, string? RawDetails);

/// <summary>A status (and conclusion) a check run entered, and when on the fake's clock.</summary>
public sealed record FakeCheckRunChange(string Status, string? Conclusion, DateTimeOffset At);
