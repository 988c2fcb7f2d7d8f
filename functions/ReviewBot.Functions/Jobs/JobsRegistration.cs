namespace ReviewBot.Functions.Jobs;

public static class JobsRegistration
{
    /// <summary>Jobs: definitions (<see cref="IJobCatalog"/>), firing them as tasks (<see cref="JobLauncher"/>).</summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<JobSources>();
        builder.Services.AddSingleton<JobLauncher>();
        return builder;
    }

    public static WebApplication MapJobs(this WebApplication app) => app;
}
