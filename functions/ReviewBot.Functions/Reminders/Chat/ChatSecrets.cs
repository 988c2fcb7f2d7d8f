using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>Comparisons of secrets and signatures that take the same time wherever they differ.</summary>
public static class ChatSecrets
{
    public static bool FixedTimeEquals(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
