using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Webhooks;

/// <summary>Settings under <c>ReviewBot:GitHub</c> used by webhook ingest.</summary>
public sealed class GitHubWebhookOptions
{
    public const string Section = "ReviewBot:GitHub";

    /// <summary>The webhook's secret. Without it every delivery is refused (503), since none can be verified.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Largest body accepted; GitHub caps payloads at 25 MB.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 25 * 1024 * 1024;
}
