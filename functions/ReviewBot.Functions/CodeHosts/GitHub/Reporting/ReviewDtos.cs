using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

// Octokit's typed review models know only the deprecated `position`; these carry line/side/start_line/start_side.
// Requests are serialised here (snake_case, nulls left out) and sent as JSON text through Octokit's raw connection.

internal sealed record NewReview(string CommitId, string Body, string Event, IReadOnlyList<NewReviewComment> Comments);

internal sealed record NewReviewComment(string Path, string Body, int Line, string Side, int? StartLine, string? StartSide);

internal sealed record CommentEdit(string Body);

internal static class ReviewJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>A review comment as listed by <c>GET /pulls/{n}/comments</c>; filled by Octokit's deserialiser, which maps
/// snake_case to these names.</summary>
public sealed class ListedReviewComment
{
    public long Id { get; set; }
    public string? Body { get; set; }
    public string? Path { get; set; }
    public int? Line { get; set; }
    public long? InReplyToId { get; set; }
}

public sealed class CreatedReview
{
    public long Id { get; set; }
}
