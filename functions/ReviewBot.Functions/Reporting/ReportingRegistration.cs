using ReviewBot.Functions.CodeHosts.GitHub.Reporting;

namespace ReviewBot.Functions.Reporting;

public static class ReportingRegistration
{
    /// <summary>Publishing findings on the code hosts: one <see cref="ICodeHostReporter"/> per host, driven by
    /// <see cref="ReportPublisher"/>.</summary>
    public static WebApplicationBuilder AddReporting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ICodeHostReporter, GitHubReporter>();
        builder.Services.AddSingleton<ReportPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportPublisher>());
        return builder;
    }
}
