using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Tasks;
namespace ReviewBot.Functions.Storage;

public static class StorageRegistration
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StorageAccount>();
        builder.Services.AddHostedService<StorageInitializer>();
        builder.Services.AddSingleton<TaskStore>();
        builder.Services.AddSingleton<NodeStore>();
        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<AgentCredentialStore>();
        return builder;
    }
}
