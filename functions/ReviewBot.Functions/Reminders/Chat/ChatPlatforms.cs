namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>The registered platforms by name (case-insensitive).</summary>
public sealed class ChatPlatforms(IEnumerable<IChatPlatform> platforms)
{
    private readonly Dictionary<string, IChatPlatform> _byName = platforms.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IChatPlatform? Find(string name) => _byName.GetValueOrDefault(name);

    public IChatPlatform Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"No chat platform '{name}' is registered.");
}
