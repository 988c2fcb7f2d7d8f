using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// The <c>${env:NAME}</c> values of the configuration file (job secrets, reminder secrets): one syntax, and one source
/// for every section, the one given at load. In the app that is every configuration source (environment variables,
/// command line, user secrets: <see cref="ConfigurationRegistration"/>); in tests, whatever the test gives.
/// </summary>
public sealed partial class EnvReferences(Func<string, string?> lookup)
{
    /// <summary>The process environment only.</summary>
    public static EnvReferences Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Whether <paramref name="text"/> (surrounding whitespace aside) is <c>${env:NAME}</c>; NAME is a letter or
    /// '_' followed by letters, digits and '_'.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out string? name)
    {
        var match = Reference().Match(text.Trim());
        name = match.Success ? match.Groups[1].Value : null;
        return match.Success;
    }

    /// <summary>NAME's value; null when it is not set or empty.</summary>
    public string? ValueOf(string name) => lookup(name) is { Length: > 0 } value ? value : null;

    [GeneratedRegex(@"^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
