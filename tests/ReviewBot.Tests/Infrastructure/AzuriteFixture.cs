namespace ReviewBot.Tests.Infrastructure;

/// <summary>
/// One Azurite process for the whole test run (<see cref="AzuriteProcess"/>). Tests isolate themselves with a
/// storage prefix of their own (<see cref="NewPrefix"/>).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>Azurite's process (the bench's smoke runs read its CPU time).</summary>
    public int Pid => _azurite?.Pid ?? throw new InvalidOperationException("Azurite is not started.");

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(RepoPaths.Root, TimeSpan.FromSeconds(30));

    public async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
