namespace ReviewBot.Core.Review;

/// <summary>A dry run's record (<c>report: none</c>): what the report would have posted, shown by <c>GET /api/tasks/{id}</c>.</summary>
public sealed record ReportPreview(
    string Title,
    Conclusion Conclusion,
    string Summary,
    int Annotations,
    IReadOnlyList<PreviewComment> Comments,
    int OutsideChange);

public sealed record PreviewComment(string Path, int Line, int? StartLine, string Body);
