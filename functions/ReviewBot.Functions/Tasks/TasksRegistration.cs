
namespace ReviewBot.Functions.Tasks;

public static class TasksRegistration
{
    public static WebApplicationBuilder AddTasks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TaskStore>();
        builder.Services.AddSingleton<ITaskStore>(sp => sp.GetRequiredService<TaskStore>());
        builder.Services.AddSingleton<TaskQueue>();
        builder.Services.AddSingleton<TaskLifecycle>();
        builder.Services.AddSingleton<TaskIndexBackfill>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TaskIndexBackfill>());
        return builder;
    }

    public static WebApplication MapTasks(this WebApplication app)
    {
        app.MapTaskEndpoints();
        return app;
    }
}
