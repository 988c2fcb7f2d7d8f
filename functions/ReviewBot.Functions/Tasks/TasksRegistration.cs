
namespace ReviewBot.Functions.Tasks;

public static class TasksRegistration
{
    public static WebApplicationBuilder AddTasks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TaskCoordinator>();
        builder.Services.AddSingleton<TaskStore>();
        return builder;
    }

    public static WebApplication MapTasks(this WebApplication app)
    {
        app.MapTaskEndpoints();
        return app;
    }
}
