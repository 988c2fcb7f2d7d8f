using System.Text;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Logs;

/// <summary>Replaces secrets with <see cref="Mask"/> in text before it leaves the agent.</summary>
internal sealed class SecretMasker
{
    public const string Mask = "***";

    /// <summary>Shorter values are not masked: masking "ab" would garble every log and hide nothing.</summary>
    public const int MinimumLength = 4;

    private readonly string[] _secrets;

    public SecretMasker(IEnumerable<string?> secrets)
    {
        // Longest first, so a secret containing another is masked whole.
        _secrets = secrets
            .Where(s => s is { Length: >= MinimumLength })
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
        LongestSecret = _secrets.Length == 0 ? 0 : _secrets[0].Length;
    }

    public static SecretMasker None { get; } = new([]);

    /// <summary>The source token, and the forms git may show it in (Basic header value, URL-encoded).</summary>
    public static SecretMasker ForSource(SourceSpec source) =>
        string.IsNullOrEmpty(source.Token)
            ? None
            : new SecretMasker(TokenForms(source.Token, source.TokenUser));

    /// <summary>Everything a task must not send: the source token's forms and the values of the job's secrets.</summary>
    public static SecretMasker ForAssignment(TaskAssignment assignment)
    {
        var token = assignment.Source.Token;
        List<string> secrets = [.. assignment.Job?.Secrets.Values ?? []];
        return string.IsNullOrEmpty(token) && secrets.Count == 0
            ? None
            : new SecretMasker([.. string.IsNullOrEmpty(token) ? [] : TokenForms(token, assignment.Source.TokenUser), .. secrets]);
    }

    private static string[] TokenForms(string token, string? user) => [token, GitCredentials.BasicValue(token, user), Uri.EscapeDataString(token)];

    public int LongestSecret { get; }

    /// <summary>
    /// The length of the longest end of <paramref name="text"/> that begins a secret without completing it: text a
    /// stream must hold back until more output shows whether the secret follows. 0 when no secret could follow.
    /// </summary>
    public int UnfinishedSecretLength(ReadOnlySpan<char> text)
    {
        var longest = 0;
        foreach (var secret in _secrets)
        {
            for (var length = Math.Min(text.Length, secret.Length - 1); length > longest; length--)
            {
                if (text[^length..].SequenceEqual(secret.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }

    public string Apply(string text)
    {
        if (_secrets.Length == 0 || text.Length == 0)
        {
            return text;
        }

        StringBuilder? masked = null;
        foreach (var secret in _secrets)
        {
            var current = masked?.ToString() ?? text;
            if (current.Contains(secret, StringComparison.Ordinal))
            {
                masked = new StringBuilder(current.Replace(secret, Mask, StringComparison.Ordinal));
            }
        }

        return masked?.ToString() ?? text;
    }
}
