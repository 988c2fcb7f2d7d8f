using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Functions.CodeHosts.GitLab.Api;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>
/// The <c>position</c> of a merge request discussion for one finding. GitLab's rules (discussions API;
/// gitlab-vscode-extension#342): an added line gets <c>new_line</c> only — sending <c>old_line</c> too, as
/// qiniu/reviewbot does, is refused; a context line gets both, which may differ; <c>old_path</c> is the base-side
/// path (the old name of a renamed file; the file's own path for an added one). A multi-line finding is anchored on
/// its last line (the line GitHub's comment would end on): GitLab's <c>line_range</c> needs line codes whose old-side
/// numbers for added lines are not documented, and a wrong one is refused, so the range is named in the text instead.
/// </summary>
public static class DiscussionPosition
{
    public static GitLabPosition For(PlannedFinding planned, FileDiff? file, GitLabDiffRefs refs)
    {
        var line = planned.Comment?.Line ?? throw new ArgumentException("The finding has no line comment geometry.", nameof(planned));
        var newPath = file?.NewPath ?? ChangedLines.Normalize(planned.Finding.File);
        var oldPath = file?.OldPath ?? newPath;
        return new GitLabPosition("text", refs.BaseSha!, refs.StartSha!, refs.HeadSha!, oldPath, newPath, planned.OldLine, line);
    }

    /// <summary>The discussion's text: for a range, which lines it covers, then <see cref="CommentBody.Render"/>; a fix is
    /// GitLab's <c>```suggestion:-N+0</c>, N lines above the line the discussion sits on (the fix's last).</summary>
    public static string Body(string linter, PlannedFinding planned) =>
        planned.Comment is { StartLine: { } start } c && start < c.Line
            ? $"Lines {start}–{c.Line}: {CommentBody.Render(linter, planned, SuggestionMarkup.RelativeRange)}"
            : CommentBody.Render(linter, planned, SuggestionMarkup.RelativeRange);
}
