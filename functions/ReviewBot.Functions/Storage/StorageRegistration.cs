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
        builder.Services.AddExceptionHandler<StorageOutageHandler>();
        return builder;
    }
}
