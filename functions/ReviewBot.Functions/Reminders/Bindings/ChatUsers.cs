using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>
/// Who is who across git and chat: the YAML's <c>reminders.users</c> merged with the <c>bind</c> commands stored in
/// <see cref="BindingStore"/>. A command binding wins over the file (it is the person's own, and newer).
/// </summary>
public sealed class ChatUsers(ReviewConfig config, BindingStore store)
{
    /// <summary>Git login (case-insensitive) → chat id on <paramref name="platform"/>, for every bound login.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ChatIdsAsync(string platform, CancellationToken ct)
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in config.Reminders.Users.Values)
        {
            if (user.ChatIds.TryGetValue(platform, out var id)) ids[user.Login] = id;
        }

        foreach (var binding in await store.ListAsync(platform, ct))
        {
            ids[binding.Login] = binding.ChatId;
        }

        return ids;
    }

    /// <summary>The git login of chat user <paramref name="chatId"/> on <paramref name="platform"/>, or null when unbound.</summary>
    public async Task<string?> LoginOfAsync(string platform, string chatId, CancellationToken ct)
    {
        if (await store.GetByChatIdAsync(platform, chatId, ct) is { } binding) return binding.Login;
        return config.Reminders.Users.Values
            .FirstOrDefault(u => u.ChatIds.TryGetValue(platform, out var id) && id == chatId)?.Login;
    }
}
