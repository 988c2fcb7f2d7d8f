using System.Text.Json;
using ReviewBot.Tests.Functions;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Infra;

/// <summary>infra/bicep builds and lints without an error or a warning (scripts/bicep.sh, Bicep CLI from NuGet), and the
/// compiled template wires what the app needs.</summary>
public sealed class BicepTests
{
    [Fact]
    public async Task MainBicep_BuildsAndLintsClean_AndWiresTheApp()
    {
        var output = await WorkerPackage.RunAsync(Path.Combine(RepoPaths.Root, "scripts", "bicep.sh"), [], TimeSpan.FromMinutes(5));
        Assert.Contains("builds and lints clean", output);
        Assert.DoesNotContain("Warning", output);

        var json = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "infra", "bicep", "main.json"));
        using var template = JsonDocument.Parse(json);
        var outputs = template.RootElement.GetProperty("outputs");
        foreach (var o in new[] { "functionAppUrl", "githubWebhookUrl", "agentServerUrl", "signalRHostName" })
            Assert.True(outputs.TryGetProperty(o, out _), $"output {o}");
        Assert.Contains("/api/signalr/{{hub}}/{{category}}/{{event}}", json); // format() escapes braces
        Assert.Contains("\"value\": \"Serverless\"", json);
        Assert.Contains("FlexConsumption", json);
        // The isolated worker (ReviewBot.Functions.Worker) on .NET 10.
        Assert.Contains("\"name\": \"dotnet-isolated\"", json);
        Assert.Contains("\"version\": \"10.0\"", json);
        Assert.Contains("ReviewBot__GitHub__WebhookSecret", json);
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", json);
    }
}
