using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Worker;

// The app is built and started first, through the same Program.Build as the self-hosted executable (one registration
// code path), with its timers driven by the host and no listening socket of its own (AppPipeline). Only then does the
// worker connect to the Functions host, so no invocation can reach a half-started app.
var app = AppInWorker.Build();
if (!ConfigurationRegistration.LoadsAtStart(app.Services, Console.Error)) return ConfigurationRegistration.InvalidConfigurationExitCode;
TimerBindings.Verify(app.Services);
await app.StartAsync();

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
    builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
builder.Services.AddSingleton(app.Services.GetRequiredService<AppPipeline>());
builder.Services.AddSingleton(new AppServices(app.Services));
builder.Services.AddSingleton<TimerDispatch>();

using (var host = builder.Build())
    await host.RunAsync();
await app.StopAsync();
await app.DisposeAsync();
return 0;
