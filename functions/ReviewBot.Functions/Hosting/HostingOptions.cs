using ReviewBot.Functions.Dashboard;
using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Hosting;

/// <summary>Settings under <c>ReviewBot:Hosting</c>.</summary>
public sealed class HostingOptions
{
    public const string Section = "ReviewBot:Hosting";

    /// <summary>True when the Azure Functions host fires the registered timers (<c>POST /{FunctionName}</c>), so the
    /// app's own in-process loops for them stay off. Unset = true exactly when the app runs as a custom handler
    /// (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set).</summary>
    public bool? TimersDrivenByHost { get; set; }

    /// <summary>Largest request body on every route that does not set its own (the webhooks take their
    /// <c>MaxBodyBytes</c>, the agents' channel its message size): 413 above.</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
