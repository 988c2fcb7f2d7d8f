using ReviewBot.Testing;

namespace ReviewBot.Bench.Harness;

/// <summary>
/// The Azurite a scenario runs on: its own (the command line: a fresh in-memory Azurite per run) or one that is
/// already running (the tests' shared AzuriteFixture), in which case every app of the scenario gets a storage prefix
/// of its own under <see cref="PrefixBase"/> and nothing else on that Azurite is touched.
/// </summary>
public sealed class BenchStorage : IAsyncDisposable
{
    private readonly AzuriteProcess? _owned;
    private int _apps;

    private BenchStorage(AzuriteProcess? owned, string connectionString, int azuritePid, string prefixBase)
    {
        _owned = owned;
        ConnectionString = connectionString;
        AzuritePid = azuritePid;
        PrefixBase = prefixBase;
    }

    public string ConnectionString { get; }

    /// <summary>Azurite's process, for its CPU time.</summary>
    public int AzuritePid { get; }

    /// <summary>Starts of every table and container name the scenario's apps use (letters and digits).</summary>
    public string PrefixBase { get; }

    /// <summary>A fresh in-memory Azurite on free ports, killed on dispose.</summary>
    public static async Task<BenchStorage> StartAzuriteAsync()
    {
        var azurite = await AzuriteProcess.StartAsync(Paths.Root, TimeSpan.FromSeconds(30));
        return new BenchStorage(azurite, azurite.ConnectionString, azurite.Pid, "bench" + Guid.NewGuid().ToString("N")[..6]);
    }

    /// <summary>An Azurite someone else runs and disposes; <paramref name="prefixBase"/> keeps this scenario's tables apart.</summary>
    public static BenchStorage Existing(string connectionString, int azuritePid, string prefixBase) =>
        new(null, connectionString, azuritePid, prefixBase);

    /// <summary>A prefix no other app of this run has.</summary>
    public string NewPrefix() => $"{PrefixBase}a{Interlocked.Increment(ref _apps)}";

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync();
    }
}
