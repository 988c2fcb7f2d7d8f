namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// An installation access token and when GitHub says it expires. The value is opaque: any length, any format
/// (GitHub's newer stateless tokens are far longer than the classic 40 characters). <see cref="ToString"/> hides it,
/// so logging or interpolating the record by mistake leaks nothing.
/// </summary>
public sealed record InstallationToken(string Value, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"InstallationToken {{ ExpiresAt = {ExpiresAt:O}, Value = *** }}";
}
