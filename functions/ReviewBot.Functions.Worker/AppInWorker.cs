using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;

namespace ReviewBot.Functions.Worker;

/// <summary>The app inside the worker: <see cref="Program.Build"/> with the host driving the timers (so the in-process
/// loops stay off) and <see cref="AppPipeline"/> as its server (it listens nowhere; the HTTP function feeds it).</summary>
public static class AppInWorker
{
    public static WebApplication Build() => ReviewBot.Functions.Program.Build(["--contentRoot", AppContext.BaseDirectory], builder =>
    {
        builder.Configuration.AddInMemoryCollection([new("ReviewBot:Hosting:TimersDrivenByHost", "true")]);
        builder.Services.AddSingleton<AppPipeline>();
        builder.Services.AddSingleton<IServer>(sp => sp.GetRequiredService<AppPipeline>());
    });
}

/// <summary>The app's service provider, for the worker's functions (the worker's own container is a different one).</summary>
public sealed record AppServices(IServiceProvider Services);
