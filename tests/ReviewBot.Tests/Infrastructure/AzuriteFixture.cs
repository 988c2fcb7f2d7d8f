using System.Diagnostics;
using System.Net.Sockets;

namespace ReviewBot.Tests.Infrastructure;

/// <summary>
/// One Azurite process (from the repository's node_modules, installed by `npm ci`) for the whole test run,
/// on free ports, in memory. Tests isolate themselves with a storage prefix of their own (<see cref="NewPrefix"/>).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly string _location = Path.Combine(Path.GetTempPath(), "reviewbot-azurite-" + Guid.NewGuid().ToString("N")[..8]);

    public string ConnectionString { get; private set; } = "";
    public int BlobPort { get; private set; }
    public int TablePort { get; private set; }

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        var azurite = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run `npm ci` in {RepoPaths.Root} (the test script does).");
        BlobPort = FreePort.Next();
        var queuePort = FreePort.Next();
        TablePort = FreePort.Next();
        Directory.CreateDirectory(_location);
        var psi = new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--inMemoryPersistence", "--loose",
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            },
            WorkingDirectory = _location,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync(BlobPort);
        await WaitForPortAsync(TablePort);
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};" +
            $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50); // polling a port that is not yet open: there is no signal to await
            }
        }
    }

    public Task DisposeAsync()
    {
        try { _process?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process?.Dispose();
        try { Directory.Delete(_location, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
