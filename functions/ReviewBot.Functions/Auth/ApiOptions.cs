using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Auth;

/// <summary>Settings under <c>ReviewBot:Api</c>: who may use the HTTP API and the dashboard.</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "ReviewBot:Api";

    /// <summary>Keys people and scripts use, each <c>"role:key"</c> (<c>ReviewBot__Api__Keys__0=admin:…</c>): role <c>read</c>
    /// (every GET, the dashboard) or <c>admin</c> (also every write). A key has at least 16 characters. None = only the
    /// webhooks, the agents' hub and /api/health answer; everything else is 401.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Behind App Service authentication (Easy Auth) only: the role given to a request that carries
    /// <c>X-MS-CLIENT-PRINCIPAL-ID</c> and no key. Unset (the default) = those headers are ignored, since anything in
    /// front of the app that does not strip them would let a client claim any identity.</summary>
    public string? AppServicePrincipalRole { get; set; }

    public IReadOnlyList<ApiKey> Parsed() => [.. Keys.Select(k => ApiKey.TryParse(k, out var key, out _) ? key : null).OfType<ApiKey>()];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Keys.Count; i++)
            if (!ApiKey.TryParse(Keys[i], out _, out var error))
                yield return new($"Keys:{i}: {error}", [nameof(Keys)]);
        if (AppServicePrincipalRole is { } r && !ApiRoles.TryParse(r, out _))
            yield return new($"AppServicePrincipalRole '{r}' is not read or admin.", [nameof(AppServicePrincipalRole)]);
    }
}

public enum ApiRole { Read, Admin }

public static class ApiRoles
{
    public const string Read = "read";
    public const string Admin = "admin";

    public static string Name(this ApiRole role) => role == ApiRole.Admin ? Admin : Read;

    public static bool TryParse(string text, out ApiRole role)
    {
        role = ApiRole.Read;
        if (string.Equals(text, Read, StringComparison.OrdinalIgnoreCase)) return true;
        role = ApiRole.Admin;
        return string.Equals(text, Admin, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>One configured key. <see cref="ToString"/> never shows the key.</summary>
public sealed record ApiKey(ApiRole Role, string Key)
{
    public const int MinLength = 16;

    public static bool TryParse(string? text, out ApiKey key, out string error)
    {
        key = null!;
        var colon = text?.IndexOf(':') ?? -1;
        if (text is null || colon <= 0)
        {
            error = "expected \"read:<key>\" or \"admin:<key>\".";
            return false;
        }
        if (!ApiRoles.TryParse(text[..colon].Trim(), out var role))
        {
            error = $"role '{text[..colon].Trim()}' is not read or admin.";
            return false;
        }
        var secret = text[(colon + 1)..];
        if (secret.Length < MinLength || secret.Trim() != secret)
        {
            error = $"the {role.Name()} key must have at least {MinLength} characters and no surrounding spaces (it has {secret.Length}).";
            return false;
        }
        key = new ApiKey(role, secret);
        error = "";
        return true;
    }

    public override string ToString() => $"{Role.Name()} key (****)";
}
