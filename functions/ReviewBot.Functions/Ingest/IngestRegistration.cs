namespace ReviewBot.Functions.Ingest;

public static class IngestRegistration
{
    /// <summary>What every code host's webhook shares: the delivery ledger (redeliveries create nothing), the source
    /// rules and their demo setting (<see cref="WebhookSourceOptions"/>), the host-neutral ingest of change requests and
    /// the approvals of untrusted ones. Each host's webhook endpoint (CodeHosts/*) runs <see cref="WebhookReceiver"/>.</summary>
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<ConfigCheckStore>();
        services.AddOptions<WebhookSourceOptions>().BindConfiguration(WebhookSourceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookSource>();
        services.AddHostedService<WebhookSourceStartupWarning>();
        services.AddSingleton<ChangeRequestIngest>();
        services.AddSingleton<LinterRuns>();
        services.AddSingleton<RepositoryConfigs>();
        services.AddSingleton<IRepositoryReader, LocalGitReader>();
        services.AddSingleton<Approver>();
        return builder;
    }
}
