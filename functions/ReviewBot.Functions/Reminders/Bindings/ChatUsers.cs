using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>
/// Who is who across git and chat: the YAML's <c>reminders.users</c> merged with the proven bindings stored in
/// <see cref="BindingStore"/>. A proven binding wins over the file (it is newer); an unproven one counts for nothing, so
/// nobody can be mentioned as, or ack and snooze for, a login they only claimed.
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
            if (binding.IsProven) ids[binding.Login] = binding.ChatId;
        }

        return ids;
    }

    /// <summary>The git login of chat user <paramref name="chatId"/> on <paramref name="platform"/>, or null when unbound.</summary>
    public async Task<string?> LoginOfAsync(string platform, string chatId, CancellationToken ct)
    {
        if (await store.GetByChatIdAsync(platform, chatId, ct) is { IsProven: true } binding) return binding.Login;
        return config.Reminders.Users.Values
            .FirstOrDefault(u => u.ChatIds.TryGetValue(platform, out var id) && id == chatId)?.Login;
    }
}
