using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using ReviewBot.Functions.Hosting.Functions;

namespace ReviewBot.Tests.Hosting;

/// <summary>In-process timer loops run when the app hosts itself and stay off when the Functions host drives the timers.</summary>
public sealed class TimerFunctionTests
{
    private sealed class CountingLoop : BackgroundService
    {
        public int Started;
        protected override Task ExecuteAsync(CancellationToken stoppingToken) { Interlocked.Increment(ref Started); return Task.CompletedTask; }
    }

    private static async Task<(int Runs, int LoopStarts)> RunFor(bool? drivenByHost, string? port)
    {
        var runs = 0;
        var settings = new List<string>();
        if (drivenByHost is { } d) settings.Add($"--ReviewBot:Hosting:TimersDrivenByHost={d}");
        if (port is not null) settings.Add($"--FUNCTIONS_CUSTOMHANDLER_PORT={port}");
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder([.. settings]);
        builder.AddCustomHandler();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTimerFunction("tick", "*/1 * * * * *", (_, _) => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(50));
        builder.Services.AddInProcessLoop<CountingLoop>();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        await app.StartAsync();
        await Task.Delay(400);
        await app.StopAsync();
        return (runs, app.Services.GetRequiredService<CountingLoop>().Started);
    }

    [Fact]
    public async Task SelfHosted_RunsTheTimersAndLoopsInProcess()
    {
        var (runs, starts) = await RunFor(null, null);
        Assert.True(runs >= 2, $"ran {runs} times");
        Assert.Equal(1, starts);
    }

    [Fact]
    public async Task DrivenByHost_KeepsTheInProcessLoopsOff()
    {
        var (runs, starts) = await RunFor(true, null);
        Assert.Equal(0, runs);
        Assert.Equal(0, starts);
    }

    [Fact]
    public async Task UnderTheCustomHandlerPort_TimersAreDrivenByHostByDefault()
    {
        var port = FreePort.Next().ToString();
        var (runs, starts) = await RunFor(null, port);
        Assert.Equal(0, runs);
        Assert.Equal(0, starts);
    }

    [Fact]
    public async Task UnderTheCustomHandlerPort_TheSettingCanKeepTheLoops()
    {
        var (runs, _) = await RunFor(false, FreePort.Next().ToString());
        Assert.True(runs >= 2);
    }
}
