using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

public sealed class ConfigurationRegistrationTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("reviewbot-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private WebApplication Build(string? configPath)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _folder });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ReviewBot:ConfigPath"] = configPath ?? "" });
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
}
