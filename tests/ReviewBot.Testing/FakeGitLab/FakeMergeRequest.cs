using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>A merge request as the fake holds it: its diff refs, its diff (real <c>git diff base...head</c> output),
/// discussions and statuses. Guarded by its own lock.</summary>
public sealed class FakeMergeRequest(long projectId, int iid)
{
    public long ProjectId { get; } = projectId;
    public int Iid { get; } = iid;
    public string BaseSha { get; private set; } = "";
    public string StartSha { get; private set; } = "";
    public string HeadSha { get; private set; } = "";
    public string Diff { get; private set; } = "";
    internal IReadOnlyList<FileDiff> Files { get; private set; } = [];
    internal List<FakeDiscussion> Discussions { get; } = [];
    internal object Gate { get; } = new();

    /// <summary>A new diff version: what GitLab computes after a push.</summary>
    public void SetDiff(string baseSha, string startSha, string headSha, string diff)
    {
        lock (Gate)
        {
            (BaseSha, StartSha, HeadSha, Diff) = (baseSha, startSha, headSha, diff);
            Files = UnifiedDiff.Parse(diff);
        }
    }

    /// <summary>A snapshot of the discussions.</summary>
    public IReadOnlyList<FakeDiscussion> AllDiscussions() { lock (Gate) return [.. Discussions.Select(d => d.Copy())]; }

    /// <summary>Each file's section of <see cref="Diff"/> from its first "@@" line: GitLab's <c>diff</c> field.</summary>
    internal IReadOnlyDictionary<string, string> Patches()
    {
        var patches = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = ("\n" + Diff).Split("\ndiff --git ", StringSplitOptions.RemoveEmptyEntries);
        foreach (var (section, file) in sections.Zip(Files))
        {
            var at = section.IndexOf("\n@@", StringComparison.Ordinal);
            patches[file.NewPath] = at < 0 ? "" : section[(at + 1)..].TrimEnd('\n') + "\n";
        }
        return patches;
    }
}

public sealed class FakeDiscussion
{
    public required string Id { get; init; }
    public bool IndividualNote { get; init; }
    public List<FakeNote> Notes { get; init; } = [];

    internal FakeDiscussion Copy() => new() { Id = Id, IndividualNote = IndividualNote, Notes = [.. Notes.Select(n => n with { })] };
}

public sealed record FakeNote
{
    public required long Id { get; init; }
    public required string Body { get; set; }
    public string? Type { get; init; }
    public bool System { get; init; }
    public bool Resolvable { get; init; }
    public bool Resolved { get; set; }
    public FakePosition? Position { get; init; }

    /// <summary>How many times <c>PUT /notes/:id</c> changed it.</summary>
    public int Edits { get; set; }
}

public sealed record FakePosition(string PositionType, string BaseSha, string StartSha, string HeadSha, string? OldPath, string? NewPath, int? OldLine, int? NewLine);
