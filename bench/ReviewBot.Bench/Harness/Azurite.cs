using System.Diagnostics;

namespace ReviewBot.Bench.Harness;

/// <summary>Azurite from the repository's node_modules (`npm ci`), in memory, on free ports; killed on dispose.</summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _location;

    private Azurite(Process process, string location, string connectionString)
    {
        _process = process;
        _location = location;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }
    public int Pid => _process.Id;

    public static async Task<Azurite> StartAsync()
    {
        if (!File.Exists(Paths.Azurite))
            throw new InvalidOperationException($"Azurite is not installed at {Paths.Azurite}: run `npm ci` in {Paths.Root}.");
        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        var location = Path.Combine(Path.GetTempPath(), "reviewbot-bench-azurite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(location);
        var psi = new ProcessStartInfo(Paths.Azurite)
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--inMemoryPersistence", "--loose",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            },
            // Azurite 3.37 refuses --location together with --inMemoryPersistence; the folder is only its working directory.
            WorkingDirectory = location,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await FreePort.WaitOpenAsync(blob, process, "Azurite", TimeSpan.FromSeconds(30));
        await FreePort.WaitOpenAsync(table, process, "Azurite", TimeSpan.FromSeconds(30));
        var cs = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        return new Azurite(process, location, cs);
    }

    public ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_location, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
