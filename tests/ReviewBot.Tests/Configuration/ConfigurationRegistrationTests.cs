using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Tests.Configuration;

public sealed class ConfigurationRegistrationTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("reviewbot-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private WebApplication Build(string? configPath, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? sections = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _folder });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings ?? []) { ["ReviewBot:ConfigPath"] = configPath ?? "" });
        sections?.Invoke(builder.Services);
        return builder.AddReviewConfiguration().Build();
    }

    [Fact]
    public async Task AppStartsWithNoLintersWhenNoPathIsSet()
    {
        await using var app = Build(null);
        await app.StartAsync().WaitAsync(Bound);

        Assert.Empty(app.Services.GetRequiredService<ReviewConfig>().LintersFor("o/r"));
        await app.StopAsync().WaitAsync(Bound);
    }

    [Fact]
    public async Task ValidFileIsLoadedRelativeToTheContentRoot()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "reviewbot.yaml"), "linters: { lint: { command: [lint] } }\n");
        await using var app = Build("reviewbot.yaml");
        await app.StartAsync().WaitAsync(Bound);

        Assert.Equal(["lint"], app.Services.GetRequiredService<ReviewConfig>().LinterNames);
        await app.StopAsync().WaitAsync(Bound);
    }

    [Fact]
    public async Task InvalidFileStopsTheAppAtStartWithEveryError()
    {
        var path = Path.Combine(_folder, "reviewbot.yaml");
        await File.WriteAllTextAsync(path, "linters:\n  lint: { timeout: 5 }\nroutng: {}\n");
        await using var app = Build(path);

        var exception = await Assert.ThrowsAsync<ConfigException>(() => app.StartAsync().WaitAsync(Bound));

        Assert.Equal([$"{path}:2:3", $"{path}:2:20", $"{path}:3:1"], exception.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}"));
    }

    [Fact]
    public void MissingFileIsAnErrorWithoutAPosition()
    {
        var path = Path.Combine(_folder, "absent.yaml");

        var error = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Load(path)).Errors);

        Assert.Equal((path, 0, 0), (error.File, error.Line, error.Column));
        Assert.StartsWith($"{path}: cannot read the configuration file", error.ToString());
    }

    // ${env:NAME} in the file reads every configuration source of the app (here an in-memory one standing for user
    // secrets or the command line), for reminder secrets as for job secrets.
    [Fact]
    public async Task SecretsOfEverySectionComeFromTheAppsConfiguration()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "reviewbot.yaml"), """
            reminders:
              repos:
                - { repository: org/app, platform: slack, webhook: "${env:REVIEWBOT_TEST_SETTING_HOOK}" }
            jobs:
              j: { trigger: manual, repository: org/app, steps: ["true"], secrets: { TOKEN: "${env:REVIEWBOT_TEST_SETTING_TOKEN}" } }
            """);
        var settings = new Dictionary<string, string?>
        {
            ["REVIEWBOT_TEST_SETTING_HOOK"] = "https://hooks.example/org-app",
            ["REVIEWBOT_TEST_SETTING_TOKEN"] = "t0ken",
        };
        await using var app = Build("reviewbot.yaml", settings, s => s.AddConfigSection<JobsSection>().AddConfigSection<RemindersSection>());

        var config = app.Services.GetRequiredService<ReviewConfig>();

        Assert.Equal("https://hooks.example/org-app", Assert.Single(config.Reminders.Repos).WebhookUrl);
        Assert.Equal("t0ken", Assert.Single(config.Jobs).Secrets["TOKEN"]);
    }

    [Fact]
    public async Task AnErrorInACapabilitysSectionRefusesTheWholeFile()
    {
        var path = Path.Combine(_folder, "reviewbot.yaml");
        await File.WriteAllTextAsync(path, "linters: { lint: { command: [lint] } }\nreminders: { policy: { minAge: soon } }\n");
        await using var app = Build(path, sections: s => s.AddConfigSection<RemindersSection>());

        var error = Assert.Single(Assert.Throws<ConfigException>(() => app.Services.GetRequiredService<ReviewConfig>()).Errors);
        Assert.Equal((2, 32), (error.Line, error.Column));
    }

    [Fact]
    public async Task TheAppReadsJobsAndRemindersInThisOrder()
    {
        await using var app = ReviewBot.Functions.Program.Build([]);

        Assert.Equal(AppConfigSections.All.Select(s => s.Name), app.Services.GetServices<IConfigSection>().Select(s => s.Name));
        Assert.Equal(["jobs", "reminders"], AppConfigSections.All.Select(s => s.Name));
    }
}
