namespace ReviewBot.Functions.Trust;

public static class TrustRegistration
{
    /// <summary>The trust gate of pull requests: the decision and the stored approvals. Approvals arrive through each code
    /// host's webhook (CodeHosts/*/Trust) and are applied by Ingest/Approver.cs.</summary>
    public static WebApplicationBuilder AddTrust(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApprovalStore>();
        builder.Services.AddSingleton<TrustGate>();
        return builder;
    }
}
