using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Ingest;

/// <summary>Settings under <c>ReviewBot:Webhooks</c>.</summary>
public sealed class WebhookSourceOptions
{
    public const string Section = "ReviewBot:Webhooks";

    /// <summary>Test and demo only: webhooks may name a local path or file:// URL as their clone URL (scripts/demo.sh
    /// and the tests use local bare repositories). Off in production: any signed delivery could then make an agent read
    /// a repository on its own disk. Logged as a warning at start when on.</summary>
    public bool AllowLocalCloneUrls { get; set; }
}

/// <summary>
/// What a webhook may say about the code to fetch, on any code host. Everything in a payload is hostile, signature or
/// not (the secret is shared by every admin who wires a repository): before a task is stored, its clone URL must be
/// https or ssh on the code host the delivery came from (<see cref="CloneHost"/>, which each host derives from its own
/// settings), its refs and commits must obey <see cref="SourceRules"/>, and its repository name must be one the host
/// could have given (each host checks its own naming rules). A breach is a <see cref="WebhookPayloadException"/> naming
/// the field (answered 400, nothing stored).
/// </summary>
public sealed class WebhookSource(IOptions<WebhookSourceOptions> options)
{
    /// <summary>A branch or tag name (<see cref="SourceRules.IsRefName"/>); a missing optional one passes.</summary>
    public static void Ref(string? name, string field, bool required = false)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (required) throw new WebhookPayloadException(field, "is missing");
            return;
        }

        if (!SourceRules.IsRefName(name))
            throw new WebhookPayloadException(field, $"'{name}' is not a valid branch or tag name (git check-ref-format; no leading '-' or '+')");
    }

    /// <summary>A commit id (<see cref="SourceRules.IsSha"/>); a missing optional one passes.</summary>
    public static void Sha(string? sha, string field, bool required = false)
    {
        if (string.IsNullOrEmpty(sha))
        {
            if (required) throw new WebhookPayloadException(field, "is missing");
            return;
        }

        if (!SourceRules.IsSha(sha)) throw new WebhookPayloadException(field, $"'{sha}' is not a commit id (40 or 64 hex digits)");
    }

    /// <summary>https or ssh on <paramref name="host"/>; a local path or file:// URL only under the demo setting
    /// (then true: the task carries it to the agent as <see cref="SourceSpec.AllowLocal"/>).</summary>
    public bool CloneUrl(string? url, string field, CloneHost host)
    {
        if (string.IsNullOrEmpty(url)) throw new WebhookPayloadException(field, "is missing");
        if (SourceRules.ParseCloneUrl(url, out var why) is not { } shape) throw new WebhookPayloadException(field, $"'{url}' {why}");
        if (shape.Kind == CloneUrlKind.Local)
        {
            if (options.Value.AllowLocalCloneUrls) return true;
            throw new WebhookPayloadException(field, $"'{url}' is a local path; a webhook's clone URL must be https or ssh on {host.Describe()} (local paths only with {WebhookSourceOptions.Section}:AllowLocalCloneUrls, for tests and demos)");
        }

        if (host.Name is null)
            throw new WebhookPayloadException(field, $"cannot be checked: {host.Setting} is not set, so no host is trusted for clone URLs; set it to your instance");
        var onHost = string.Equals(shape.Host, host.Name, StringComparison.OrdinalIgnoreCase)
                     && (shape.Kind == CloneUrlKind.Ssh || shape.Kind == CloneUrlKind.Https && shape.Port == host.HttpsPort);
        if (!onHost)
            throw new WebhookPayloadException(field, $"'{url}' is not an https or ssh URL on {host.Describe()}");
        return false;
    }
}

/// <summary>The code host clone URLs must be on: its host name (null when the setting naming it is not set), the port
/// its https URLs use, and the setting naming it (for the problem text).</summary>
public sealed record CloneHost(string? Name, int HttpsPort, string Setting)
{
    /// <summary>The host of <paramref name="url"/>, lower-case, with its https port (443 for an http URL, whose https
    /// twin is on the default port); a host without a URL names none.</summary>
    public static CloneHost Of(Uri? url, string setting) =>
        url is null ? new(null, 443, setting) : new(url.Host.ToLowerInvariant(), url.Scheme == Uri.UriSchemeHttps ? url.Port : 443, setting);

    public string Describe() => Name is null ? $"the code host ({Setting} is not set)" : $"{Name}{(HttpsPort == 443 ? "" : $":{HttpsPort} (https)")}, the code host of {Setting}";
}

/// <summary>Says at start that the demo setting is on, so it is not left on in production unnoticed.</summary>
internal sealed partial class WebhookSourceStartupWarning(IOptions<WebhookSourceOptions> options, ILogger<WebhookSource> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AllowLocalCloneUrls) LogLocalAllowed(log, $"{WebhookSourceOptions.Section}:AllowLocalCloneUrls");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "{Setting} is on: webhooks may name local paths and file:// URLs as clone URLs, and agents will read those repositories from their own disks. For tests and demos only; never in production.")]
    private static partial void LogLocalAllowed(ILogger logger, string setting);
}
