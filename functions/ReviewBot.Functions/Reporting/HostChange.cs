using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Functions.Reporting;

/// <summary>
/// A task's change request (pull request, merge request) as its code host shows it now, read for one completed report:
/// the commit the host diffs it against and, when needed, the changed lines of that diff. Each host's subclass may keep
/// what it read for posting (GitLab: the merge request's <c>diff_refs</c>, which its discussion positions need).
/// </summary>
public abstract class HostChange
{
    /// <summary>The commit the host diffs the change request against (GitHub: the pull request's <c>base.sha</c>;
    /// GitLab: <c>diff_refs.base_sha</c>); null when it does not say.</summary>
    public abstract Task<string?> BaseShaAsync(CancellationToken ct);

    /// <summary>The changed lines of the host's own diff (every page; a file without a patch, binary or too large, has no
    /// line to comment on).</summary>
    public abstract Task<ChangedLines> FilesAsync(CancellationToken ct);
}
