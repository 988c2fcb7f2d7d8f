using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>A git login bound to a chat user on one platform.</summary>
/// <param name="Source">How it was proven (<see cref="BindingSources"/>).</param>
public sealed record ChatBinding(string Platform, string Login, string ChatId, string Source, DateTimeOffset BoundAt)
{
    /// <summary>Whether the binding counts (mentions, <c>ack</c>, <c>snooze</c>): only a proven one does.</summary>
    public bool IsProven => Source is BindingSources.Comment or BindingSources.Admin;
}

/// <summary>How a binding came to be.</summary>
public static class BindingSources
{
    /// <summary>The git user confirmed the chat user's code in a comment (a signed webhook).</summary>
    public const string Comment = "comment";

    /// <summary>An admin bound them, or confirmed the code, through the API.</summary>
    public const string Admin = "admin";

    /// <summary>A <c>bind</c> in chat before proof was required: kept for the record, counts for nothing until bound again.</summary>
    public const string Unproven = "command";
}

/// <summary>
/// Bindings proven after the chat command <c>bind github &lt;login&gt;</c> (<see cref="BindingCodes"/>) or made by an admin (the
/// YAML's <c>reminders.users</c> are read from the configuration, see <see cref="ChatUsers"/>). Key scheme: PartitionKey =
/// platform name; two rows per binding, RowKey = "git|" + lower-case login and "chat|" + chat user id (both escaped by
/// <see cref="TableKeys.Escape"/>), so both directions are point reads. Rebinding a login or a chat user replaces the old
/// pair. <see cref="ListAsync"/> is a range of one platform's partition: one row per bound person. (The same table holds
/// the pending codes in partition "pending", see <see cref="BindingCodes"/>.)
/// </summary>
public sealed class BindingStore(StorageAccount account)
{
    private const string GitPrefix = "git|";
    private const string ChatPrefix = "chat|";

    public async Task<ChatBinding?> GetByLoginAsync(string platform, string login, CancellationToken ct) =>
        await GetAsync(platform, GitPrefix + TableKeys.Escape(login.ToLowerInvariant()), ct);

    public async Task<ChatBinding?> GetByChatIdAsync(string platform, string chatId, CancellationToken ct) =>
        await GetAsync(platform, ChatPrefix + TableKeys.Escape(chatId), ct);

    /// <summary>Every binding on <paramref name="platform"/>.</summary>
    public async Task<IReadOnlyList<ChatBinding>> ListAsync(string platform, CancellationToken ct)
    {
        var list = new List<ChatBinding>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {platform} and RowKey ge {GitPrefix} and RowKey lt {"git}"}");
        await foreach (var e in account.Bindings.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    /// <summary>Binds <paramref name="login"/> to <paramref name="chatId"/>, dropping either side's previous binding. (Not "BindAsync":
    /// minimal APIs take a type with one for a parameter binder.)</summary>
    public async Task<ChatBinding> SaveAsync(string platform, string login, string chatId, string source, DateTimeOffset now, CancellationToken ct)
    {
        var binding = new ChatBinding(platform, login, chatId, source, now);
        var previousOfUser = await GetByChatIdAsync(platform, chatId, ct);
        var previousOfLogin = await GetByLoginAsync(platform, login, ct);
        if (previousOfUser is not null && !string.Equals(previousOfUser.Login, login, StringComparison.OrdinalIgnoreCase))
        {
            await DeleteAsync(platform, GitPrefix + TableKeys.Escape(previousOfUser.Login.ToLowerInvariant()), ct);
        }

        if (previousOfLogin is not null && previousOfLogin.ChatId != chatId)
        {
            await DeleteAsync(platform, ChatPrefix + TableKeys.Escape(previousOfLogin.ChatId), ct);
        }

        // Both rows are in one partition: one transaction keeps the two directions in step.
        await account.Bindings.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(binding, GitPrefix + TableKeys.Escape(login.ToLowerInvariant()))),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(binding, ChatPrefix + TableKeys.Escape(chatId))),
        ], ct);
        return binding;
    }

    private async Task<ChatBinding?> GetAsync(string platform, string rowKey, CancellationToken ct)
    {
        var row = await account.Bindings.GetEntityIfExistsAsync<TableEntity>(platform, rowKey, cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    private async Task DeleteAsync(string platform, string rowKey, CancellationToken ct)
    {
        try
        {
            await account.Bindings.DeleteEntityAsync(platform, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    private static TableEntity ToEntity(ChatBinding b, string rowKey) => new(b.Platform, rowKey)
    {
        ["Login"] = b.Login,
        ["ChatId"] = b.ChatId,
        ["Source"] = b.Source,
        ["BoundAt"] = b.BoundAt,
    };

    private static ChatBinding FromEntity(TableEntity e) => new(
        e.PartitionKey, e.GetString("Login"), e.GetString("ChatId"), e.GetString("Source") ?? BindingSources.Unproven,
        e.GetDateTimeOffset("BoundAt") ?? DateTimeOffset.MinValue);
}
