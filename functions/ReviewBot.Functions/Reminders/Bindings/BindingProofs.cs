using System.Text.Json;
using System.Text.RegularExpressions;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Reminders.Chat.Slack;

namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>
/// Turns a claimed binding into a proven one: the code host user posts the chat user's code in a comment
/// (<c>/reviewbot bind &lt;code&gt;</c> in a signed GitHub <c>issue_comment</c>, whose author is the proof), or an admin confirms
/// the code or binds directly through the API. Only then does <see cref="BindingStore"/> hold a binding that counts.
/// </summary>
public sealed partial class BindingProofs(BindingCodes codes, BindingStore bindings, TimeProvider time, ILogger<BindingProofs> log)
{
    /// <summary>Uses up <paramref name="code"/> and binds its chat user, as <paramref name="source"/>. When
    /// <paramref name="host"/> and <paramref name="login"/> are given the code must have been issued for that user.</summary>
    public async Task<(ChatBinding? Bound, RedeemFailure Failure)> ConfirmAsync(string code, string? host, string? login, string source, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (pending, failure) = await codes.RedeemAsync(code, host, login, now, ct);
        if (pending is null) return (null, failure);
        return (await StoreAsync(pending.Platform, pending.Host, pending.Login, pending.ChatId, source, ct), default);
    }

    /// <summary>An admin's word is proof (<c>POST /api/bindings</c>). (Not "BindAsync": minimal APIs would take it for a
    /// parameter binder.)</summary>
    public Task<ChatBinding> BindByAdminAsync(string platform, string host, string login, string chatId, CancellationToken ct) =>
        StoreAsync(platform, host, login, chatId, BindingSources.Admin, ct);

    private async Task<ChatBinding> StoreAsync(string platform, string host, string login, string chatId, string source, CancellationToken ct)
    {
        var bound = await bindings.SaveAsync(platform, login, chatId, source, time.GetUtcNow(), ct);
        RemindersLog.Bound(log, platform, chatId, host, login, source);
        return bound;
    }

    /// <summary>
    /// The answer to a signed GitHub <c>issue_comment</c> delivery whose new comment holds <c>/reviewbot bind &lt;code&gt;</c>
    /// on a line of its own; null when it holds none (the delivery is then someone else's to handle). The comment's author
    /// is who proves the claim: a code issued for another login binds nothing.
    /// </summary>
    public async Task<WebhookAnswer?> FromGitHubCommentAsync(byte[] body, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (root.Str("action") != "created" || root.Prop("comment") is not { } comment) return null;
        if (comment.Str("body") is not { } text || BindCommand().Match(text) is not { Success: true } match) return null;
        if (comment.Prop("user")?.Str("login") is not { Length: > 0 } login)
            throw new WebhookPayloadException("comment.user.login", "is missing");

        var (bound, failure) = await ConfirmAsync(match.Groups[1].Value, "github", login, BindingSources.Comment, ct);
        return bound is not null
            ? new WebhookAnswer("bound", $"{bound.Platform} user {bound.ChatId} is now bound to github user {bound.Login}", [])
            : new WebhookAnswer("ignored", failure switch
            {
                RedeemFailure.Expired => "the bind code has expired; ask for a new one in chat",
                RedeemFailure.OtherUser => $"the bind code was not issued for github user {login}",
                _ => "no open bind code matches",
            }, []);
    }

    [GeneratedRegex(@"^[ \t]*/reviewbot[ \t]+bind[ \t]+([A-Za-z0-9]{1,64})[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BindCommand();
}
