namespace ReviewBot.Functions.Ingest;

public static class IngestRegistration
{
    /// <summary>What every code host's webhook ingest shares: the delivery ledger (redeliveries create nothing).</summary>
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeliveryStore>();
        return builder;
    }
}
