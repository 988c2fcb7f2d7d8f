using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Hosting.Functions;

namespace ReviewBot.Tests.Hosting;

/// <summary>In-process timer loops run when the app hosts itself and stay off when the Functions host drives the timers
/// (the worker sets <c>ReviewBot:Hosting:TimersDrivenByHost</c>); registrations are checked as they are made.</summary>
public sealed class TimerFunctionTests
{
    private sealed class CountingLoop : BackgroundService
    {
        public int Started;
        protected override Task ExecuteAsync(CancellationToken stoppingToken) { Interlocked.Increment(ref Started); return Task.CompletedTask; }
    }

    /// <summary>Runs the app until the timer has run twice (self-hosted) or, when the host drives the timers, for a
    /// window of eight of the loop's 50 ms intervals in which nothing may run.</summary>
    private static async Task<(int Runs, int LoopStarts)> RunFor(bool? drivenByHost)
    {
        var runs = 0;
        var twice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new List<string>();
        if (drivenByHost is { } d) settings.Add($"--ReviewBot:Hosting:TimersDrivenByHost={d}");
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder([.. settings]);
        builder.Services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTimerFunction("tick", "*/1 * * * * *", (_, _) => { if (Interlocked.Increment(ref runs) == 2) twice.TrySetResult(); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(50));
        builder.Services.AddInProcessLoop<CountingLoop>();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        await app.StartAsync();
        if (drivenByHost is true) await Task.Delay(400); // time is what is under test: nothing may run in it
        else await twice.Task.WithTimeout(Timeouts.Short, "the in-process timer running twice");
        await app.StopAsync();
        return (runs, app.Services.GetRequiredService<CountingLoop>().Started);
    }

    [Fact]
    public async Task SelfHosted_RunsTheTimersAndLoopsInProcess()
    {
        var (runs, starts) = await RunFor(null);
        Assert.True(runs >= 2, $"ran {runs} times");
        Assert.Equal(1, starts);
    }

    [Fact]
    public async Task DrivenByHost_KeepsTheInProcessLoopsOff()
    {
        var (runs, starts) = await RunFor(true);
        Assert.Equal(0, runs);
        Assert.Equal(0, starts);
    }

    [Theory]
    [InlineData("bad name", "0 * * * * *")]
    [InlineData("1st", "0 * * * * *")]
    [InlineData("ok", "* * * * *")]
    public void TimerRegistration_RefusesBadNamesAndFiveFieldSchedules(string name, string schedule) =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTimerFunction(name, schedule, (_, _) => Task.CompletedTask));

    [Fact]
    public void TimerRegistration_RefusesTheSameNameTwice()
    {
        var services = new ServiceCollection().AddTimerFunction("tick", "0 * * * * *", (_, _) => Task.CompletedTask);
        Assert.Throws<ArgumentException>(() => services.AddTimerFunction("TICK", "0 * * * * *", (_, _) => Task.CompletedTask));
    }
}
