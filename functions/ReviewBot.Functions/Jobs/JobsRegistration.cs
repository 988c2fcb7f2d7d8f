using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Jobs;

public static class JobsRegistration
{
    /// <summary>Jobs: the file's <c>jobs:</c> section (<see cref="JobsSection"/>), definitions (<see cref="IJobCatalog"/>: the file's, overridden by the API's), firing them as tasks
    /// (<see cref="JobLauncher"/>), retrying failed runs (<see cref="JobRetries"/>), the API (<see cref="JobEndpoints"/>).</summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddConfigSection<JobsSection>();
        // The jobs: section of a repository's own .reviewbot.yml, and the repository jobs fired by its events.
        builder.Services.AddSingleton<IRepositorySection, RepositoryJobsSection>();
        builder.Services.AddSingleton<RepositoryJobs>();
        // Code host events (merged, tag, push) as jobs' firings; each host maps its payloads to a JobEvent.
        builder.Services.AddSingleton<JobEvents>();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<JobLauncher>();
        builder.Services.AddSingleton<IJobRunCounter>(s => s.GetRequiredService<JobLauncher>());
        builder.Services.AddSingleton<JobCatalog>();
        builder.Services.AddSingleton<IJobCatalog>(s => s.GetRequiredService<JobCatalog>());
        builder.Services.AddSingleton<JobCommands>();
        builder.Services.AddSingleton<JobViews>();
        builder.Services.AddSingleton<JobRetries>();
        builder.Services.AddHostedService(s => s.GetRequiredService<JobRetries>());
        return builder;
    }

    public static WebApplication MapJobs(this WebApplication app)
    {
        app.MapJobEndpoints();
        return app;
    }
}
