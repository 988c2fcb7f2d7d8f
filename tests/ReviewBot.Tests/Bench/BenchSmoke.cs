using ReviewBot.Bench.Harness;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench;

/// <summary>
/// Runs one bench scenario's smoke mode in this process on the tests' Azurite (a prefix of its own), with the
/// scenario's output kept for the test's log. A smoke run asserts that the scenario runs to its end and says so,
/// and printed its report, never its figures: the machine running the tests is not a benchmark machine.
/// </summary>
public static class BenchSmoke
{
    /// <summary>Longest a smoke run may take (each takes seconds; the slack is for a loaded machine).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    public static async Task<string> RunAsync(AzuriteFixture azurite, ITestOutputHelper output, Func<BenchStorage, CancellationToken, Task<int>> scenario)
    {
        await using var storage = BenchStorage.Existing(azurite.ConnectionString, azurite.Pid, AzuriteFixture.NewPrefix());
        return await RunAsync(output, ct => scenario(storage, ct));
    }

    public static async Task<string> RunAsync(ITestOutputHelper output, Func<CancellationToken, Task<int>> scenario)
    {
        var text = new StringWriter();
        using var cancel = new CancellationTokenSource(Bound);
        int code;
        using (BenchOutput.To(text))
        {
            try
            {
                code = await scenario(cancel.Token).WithTimeout(Bound + TimeSpan.FromSeconds(5), "the scenario's smoke run");
            }
            finally
            {
                output.WriteLine(text.ToString());
            }
        }
        Assert.True(code == 0, $"the scenario exited with {code}");
        return text.ToString();
    }
}
