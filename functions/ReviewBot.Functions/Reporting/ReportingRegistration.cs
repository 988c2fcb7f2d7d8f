namespace ReviewBot.Functions.Reporting;

public static class ReportingRegistration
{
    /// <summary>Publishing findings on the code hosts: <see cref="ReportQueue"/> drives <see cref="ReportPipeline"/>,
    /// which plans once and hands the plan to the task's host. Each host registers its <see cref="ICodeHostReporter"/>
    /// in its own <c>AddXxx()</c> (CodeHosts/*); a task of a host none reports is "not reported".</summary>
    public static WebApplicationBuilder AddReporting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReportPipeline>();
        builder.Services.AddSingleton<ReportQueue>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportQueue>());
        return builder;
    }
}
