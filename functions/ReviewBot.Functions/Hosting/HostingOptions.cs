using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Hosting;

/// <summary>Settings under <c>ReviewBot:Hosting</c>.</summary>
public sealed class HostingOptions
{
    public const string Section = "ReviewBot:Hosting";

    /// <summary>True when the Azure Functions host fires the registered timers (one timer function each in
    /// ReviewBot.Functions.Worker, which sets this), so the app's own in-process loops for them stay off. Unset = false.</summary>
    public bool? TimersDrivenByHost { get; set; }

    /// <summary>Largest request body on every route that does not set its own (the webhooks take their
    /// <c>MaxBodyBytes</c>, the agents' channel its message size): 413 above.</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
