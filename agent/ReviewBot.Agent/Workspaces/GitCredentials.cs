using System.Text;

namespace ReviewBot.Agent.Workspaces;

/// <summary>
/// How a source token reaches git: an <c>http.&lt;origin&gt;.extraHeader</c> with HTTP Basic
/// (user <c>x-access-token</c>, GitHub's convention, unless the source names another: <c>oauth2</c> for GitLab), passed through <c>GIT_CONFIG_*</c> environment
/// variables, so it is never on a command line, in a config file or in the clone URL.
/// </summary>
internal static class GitCredentials
{
    public const string DefaultUser = "x-access-token";

    public static string BasicValue(string token, string? user = null) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes((string.IsNullOrEmpty(user) ? DefaultUser : user) + ":" + token));

    /// <summary>The environment variables that give git the token for <paramref name="cloneUrl"/>; none for non-https URLs.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string cloneUrl, string? token, string? user = null)
    {
        if (string.IsNullOrEmpty(token)
            || !Uri.TryCreate(cloneUrl, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps)
        {
            return new Dictionary<string, string>();
        }

        // Scope the header to the origin of the clone URL, so redirects or submodules elsewhere never receive it.
        var origin = uri.GetLeftPart(UriPartial.Authority) + "/";
        return new Dictionary<string, string>
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = $"http.{origin}.extraHeader",
            ["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + BasicValue(token, user),
        };
    }
}
