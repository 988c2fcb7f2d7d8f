using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Reporting;

public static class Previews
{
    /// <summary>What a report of <paramref name="plan"/> would post, as <see cref="ReportPreview"/>.</summary>
    public static ReportPreview Of(ReviewTask task, ReportPlan plan, ReportInput input) => new(
        ReportText.Title(task, plan),
        plan.Conclusion,
        ReportText.Summary(task, plan, input.TaskLink),
        plan.Findings.Count,
        [.. plan.Commentable.Take(input.MaxComments).Select(f => new PreviewComment(f.Finding.File, f.Comment!.Line, f.Comment.StartLine, CommentBody.Render(plan.Linter, f)))],
        plan.OutsideChange);
}
