namespace ReviewBot.Functions.Configuration;

// TEMPORARY placeholder until the configuration branch is merged (it owns this file).
public static class ConfigurationRegistration
{
    public static WebApplicationBuilder AddReviewConfiguration(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new ReviewConfig());
        return builder;
    }
}
