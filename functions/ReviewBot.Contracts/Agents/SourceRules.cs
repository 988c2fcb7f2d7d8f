using System.Text.RegularExpressions;

namespace ReviewBot.Contracts.Agents;

/// <summary>How a clone URL reaches its repository, as git decides it (transport.c, connect.c).</summary>
public enum CloneUrlKind
{
    /// <summary><c>https://host/path</c>.</summary>
    Https,
    /// <summary><c>ssh://[user@]host[:port]/path</c> or the scp form <c>[user@]host:path</c>.</summary>
    Ssh,
    /// <summary><c>http://host/path</c>: unencrypted; only a job may name it.</summary>
    Http,
    /// <summary><c>git://host/path</c>: unauthenticated; only a job may name it.</summary>
    Git,
    /// <summary>An absolute path or a <c>file://</c> URL on the agent's own disk.</summary>
    Local,
}

/// <summary>A clone URL taken apart. <see cref="Host"/> is lower case and null for <see cref="CloneUrlKind.Local"/>;
/// <see cref="Port"/> is the URL's port (the scheme's default when it names none; null for the scp form and ssh).</summary>
public sealed record CloneUrlShape(CloneUrlKind Kind, string? Host, int? Port);

/// <summary>
/// The rules of <see cref="SourceSpec"/>'s fields, the same on the server (which refuses a webhook breaking them with
/// a 400) and on the agent (which refuses the task before git runs): git reads any argument starting with '-' as an
/// option, wherever it stands (<c>--upload-pack=&lt;command&gt;</c> runs a command), so every name that reaches git's
/// command line is checked here first, and the agent puts <c>--</c> before the repository and paths besides.
/// </summary>
public static partial class SourceRules
{
    /// <summary>
    /// A branch or tag name git fetch takes as a source ref and nothing else: <c>git check-ref-format --allow-onelevel</c>
    /// (no control characters, space, <c>~ ^ : ? * [ \</c>, no <c>..</c> or <c>@{</c> or <c>//</c>, no component starting
    /// with '.' or ending with ".lock", not ending with '/' or '.', not "@"), and not starting with '-' (an option) or '+'
    /// (a forced refspec).
    /// </summary>
    public static bool IsRefName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name[0] is '-' or '+' || name == "@")
        {
            return false;
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.Contains("@{", StringComparison.Ordinal) || name.Contains("//", StringComparison.Ordinal)
            || name[0] == '/' || name[^1] is '/' or '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c < ' ' || c == '\x7f' || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            {
                return false;
            }
        }

        foreach (var component in name.Split('/'))
        {
            if (component.StartsWith('.') || component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A full commit id: 40 hex digits (SHA-1) or 64 (SHA-256).</summary>
    public static bool IsSha(string? sha) => sha is { Length: 40 or 64 } && sha.All(char.IsAsciiHexDigit);

    /// <summary>
    /// Takes a clone URL apart the way git reads it, or says what is wrong with it (<paramref name="problem"/> completes
    /// "the clone URL …"). Refused whatever the source: a leading '-' (an option), git's remote-helper syntax
    /// (<c>ext::sh -c …</c>, <c>fd::</c>), a scheme git would hand to an unknown helper, a host or user starting with
    /// '-', control characters, relative paths.
    /// </summary>
    public static CloneUrlShape? ParseCloneUrl(string? url, out string problem)
    {
        problem = "";
        if (string.IsNullOrEmpty(url))
        {
            problem = "is empty";
            return null;
        }

        if (url.Any(char.IsControl))
        {
            problem = "contains a control character";
            return null;
        }

        if (url[0] == '-')
        {
            problem = "starts with '-', which git would read as an option";
            return null;
        }

        if (char.IsWhiteSpace(url[0]) || char.IsWhiteSpace(url[^1]))
        {
            problem = "starts or ends with white space";
            return null;
        }

        if (url[0] == '/' || WindowsPath().IsMatch(url))
        {
            return new CloneUrlShape(CloneUrlKind.Local, null, null);
        }

        if (RemoteHelper().Match(url) is { Success: true } helper)
        {
            problem = $"uses git's remote-helper syntax '{helper.Value}', which is never fetched";
            return null;
        }

        return UrlScheme().Match(url) is { Success: true } scheme
            ? ParseUrl(url, scheme.Groups[1].Value.ToLowerInvariant(), out problem)
            : ParseScpForm(url, out problem);
    }

    /// <summary>Whether <paramref name="kind"/> may be fetched for a source without <see cref="SourceSpec.AllowLocal"/>
    /// (a webhook's): https and ssh only.</summary>
    public static bool IsAlwaysAllowed(CloneUrlKind kind) => kind is CloneUrlKind.Https or CloneUrlKind.Ssh;

    /// <summary>
    /// What is wrong with <paramref name="source"/>, or null: the clone URL's shape, and its kind against
    /// <see cref="SourceSpec.AllowLocal"/>; the commits are hex SHAs (or empty); the refs are ref names (or empty).
    /// </summary>
    /// <param name="display">How the clone URL is shown in the message (the agent hides credentials in it).</param>
    public static string? Problem(SourceSpec source, Func<string, string>? display = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var shown = (display ?? (u => u))(source.CloneUrl ?? "");
        if (ParseCloneUrl(source.CloneUrl, out var why) is not { } shape)
        {
            return $"the clone URL '{shown}' {why}";
        }

        if (!source.AllowLocal && !IsAlwaysAllowed(shape.Kind))
        {
            return shape.Kind == CloneUrlKind.Local
                ? $"the clone URL '{shown}' is a repository on the agent's own disk; local paths and file:// URLs are only for jobs and for the server's test setting ReviewBot:Webhooks:AllowLocalCloneUrls, never for a webhook"
                : $"the clone URL '{shown}' uses {shape.Kind.ToString().ToLowerInvariant()}://; a webhook's source is fetched over https or ssh only";
        }

        if (!string.IsNullOrEmpty(source.HeadSha) && !IsSha(source.HeadSha))
        {
            return $"the head commit '{source.HeadSha}' is not a commit id (40 or 64 hex digits)";
        }

        if (!string.IsNullOrEmpty(source.BaseSha) && !IsSha(source.BaseSha))
        {
            return $"the base commit '{source.BaseSha}' is not a commit id (40 or 64 hex digits)";
        }

        if (!string.IsNullOrEmpty(source.HeadRef) && !IsRefName(source.HeadRef))
        {
            return $"the head ref '{source.HeadRef}' is not a branch or tag name (git check-ref-format, no leading '-' or '+')";
        }

        if (!string.IsNullOrEmpty(source.BaseRef) && !IsRefName(source.BaseRef))
        {
            return $"the base ref '{source.BaseRef}' is not a branch or tag name (git check-ref-format, no leading '-' or '+')";
        }

        return null;
    }

    private static CloneUrlShape? ParseUrl(string url, string scheme, out string problem)
    {
        problem = "";
        CloneUrlKind? kind = scheme switch
        {
            "https" => CloneUrlKind.Https,
            "ssh" or "git+ssh" or "ssh+git" => CloneUrlKind.Ssh,
            "http" => CloneUrlKind.Http,
            "git" => CloneUrlKind.Git,
            "file" => CloneUrlKind.Local,
            _ => null,
        };
        if (kind is null)
        {
            problem = $"uses the '{scheme}' scheme; git would hand it to a remote helper (https, ssh, http, git and file are fetched)";
            return null;
        }

        // Only RFC 3986 characters: .NET's parser and git's (curl, ssh) must see the same host.
        if (!UrlCharacters().IsMatch(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            problem = "is not a valid URL";
            return null;
        }

        if (kind == CloneUrlKind.Local)
        {
            if (uri.Host.Length > 0 && !uri.IsLoopback)
            {
                problem = $"is a file URL on another host ('{uri.Host}')";
                return null;
            }

            return new CloneUrlShape(CloneUrlKind.Local, null, null);
        }

        if (uri.Host.Length == 0)
        {
            problem = "names no host";
            return null;
        }

        if (uri.Host[0] == '-' || uri.UserInfo.StartsWith('-'))
        {
            problem = "names a host or user starting with '-', which ssh would read as an option";
            return null;
        }

        return new CloneUrlShape(kind.Value, uri.Host.ToLowerInvariant(), uri.Port >= 0 ? uri.Port : null);
    }

    /// <summary>git's scp form <c>[user@]host:path</c>: a ':' before any '/' (else it is a relative path).</summary>
    private static CloneUrlShape? ParseScpForm(string url, out string problem)
    {
        problem = "";
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        if (colon <= 0 || (slash >= 0 && slash < colon))
        {
            problem = "is neither a URL (https://, ssh://), an scp-style address (git@host:path) nor an absolute path";
            return null;
        }

        var authority = url[..colon];
        var path = url[(colon + 1)..];
        var at = authority.LastIndexOf('@');
        var user = at >= 0 ? authority[..at] : "";
        var host = at >= 0 ? authority[(at + 1)..] : authority;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || !ScpHost().IsMatch(host) || user.StartsWith('-') || user.Any(char.IsWhiteSpace))
        {
            problem = "is an scp-style address whose host or user is not valid (or starts with '-', which ssh would read as an option)";
            return null;
        }

        if (path.Length == 0 || path[0] == '-')
        {
            problem = "is an scp-style address whose path is empty or starts with '-'";
            return null;
        }

        return new CloneUrlShape(CloneUrlKind.Ssh, host.ToLowerInvariant(), null);
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCharacters();

    [GeneratedRegex(@"^[A-Za-z]:[\\/]", RegexOptions.CultureInvariant)]
    private static partial Regex WindowsPath();

    /// <summary>git's <c>&lt;transport&gt;::&lt;address&gt;</c> (transport.c: URL-scheme characters, then "::").</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*::", RegexOptions.CultureInvariant)]
    private static partial Regex RemoteHelper();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.-]*)://", RegexOptions.CultureInvariant)]
    private static partial Regex UrlScheme();

    /// <summary>A DNS name or an IP address; never starting with '-'.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ScpHost();
}
