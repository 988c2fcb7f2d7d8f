namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>
/// Turns a claimed binding into a proven one: the code host user posts the chat user's code in a comment
/// (<c>/reviewbot bind &lt;code&gt;</c>, whose author is the proof; each code host reads its own comments, e.g.
/// CodeHosts/GitHub/Reminders/BindComments.cs), or an admin confirms the code or binds directly through the API. Only then does <see cref="BindingStore"/> hold a binding that counts.
/// </summary>
public sealed class BindingProofs(BindingCodes codes, BindingStore bindings, TimeProvider time, ILogger<BindingProofs> log)
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
}
