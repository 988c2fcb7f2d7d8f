using System.Text.Json;
using System.Text.RegularExpressions;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Reminders.Bindings;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reminders;

/// <summary>
/// <c>/reviewbot bind &lt;code&gt;</c> on a line of its own in a new comment of a signed GitHub <c>issue_comment</c>
/// delivery proves a chat user's binding (<see cref="BindingProofs"/>): the comment's author is the proof, so a code
/// issued for another login binds nothing.
/// </summary>
public sealed partial class BindComments(BindingProofs proofs)
{
    /// <summary>The webhook's answer; null when the comment holds no bind command (the delivery is then someone else's
    /// to handle).</summary>
    public async Task<WebhookAnswer?> FromCommentAsync(byte[] body, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (Str(root, "action") != "created" || Prop(root, "comment") is not { } comment) return null;
        if (Str(comment, "body") is not { } text || BindCommand().Match(text) is not { Success: true } match) return null;
        if (Prop(comment, "user") is not { } user || Str(user, "login") is not { Length: > 0 } login)
            throw new WebhookPayloadException("comment.user.login", "is missing");

        var (bound, failure) = await proofs.ConfirmAsync(match.Groups[1].Value, "github", login, BindingSources.Comment, ct);
        return bound is not null
            ? new WebhookAnswer("bound", $"{bound.Platform} user {bound.ChatId} is now bound to github user {bound.Login}", [])
            : new WebhookAnswer("ignored", failure switch
            {
                RedeemFailure.Expired => "the bind code has expired; ask for a new one in chat",
                RedeemFailure.OtherUser => $"the bind code was not issued for github user {login}",
                _ => "no open bind code matches",
            }, []);
    }

    private static JsonElement? Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) ? p : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    [GeneratedRegex(@"^[ \t]*/reviewbot[ \t]+bind[ \t]+([A-Za-z0-9]{1,64})[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BindCommand();
}
