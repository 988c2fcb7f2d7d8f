using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReviewBot.Testing;

/// <summary>
/// Azurite from the repository's node_modules (installed by `npm ci`), in memory, on free loopback ports, killed on
/// dispose. Ready when Azurite itself says its blob and table services listen. Shared by the tests and the bench
/// (linked into both projects).
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _workDir;

    private AzuriteProcess(Process process, string workDir, string connectionString)
    {
        _process = process;
        _workDir = workDir;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }
    public int Pid => _process.Id;

    public static async Task<AzuriteProcess> StartAsync(string repoRoot, TimeSpan timeout)
    {
        var azurite = Path.Combine(repoRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run `npm ci` in {repoRoot} (the test script does).");
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        // Azurite 3.37 refuses --location with --inMemoryPersistence; the folder is only its working directory.
        var workDir = Directory.CreateTempSubdirectory("reviewbot-azurite-").FullName;
        var psi = new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                "--skipApiVersionCheck", "--inMemoryPersistence", "--loose", "--silent",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            },
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var blobReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tableReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Blob service is successfully listening") == true) blobReady.TrySetResult();
            if (e.Data?.Contains("Table service is successfully listening") == true) tableReady.TrySetResult();
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) =>
        {
            var exited = new InvalidOperationException($"Azurite exited with code {process.ExitCode} before it was ready.");
            blobReady.TrySetException(exited);
            tableReady.TrySetException(exited);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new AzuriteProcess(process, workDir,
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;");
        try
        {
            await Task.WhenAll(blobReady.Task, tableReady.Task).WaitAsync(timeout);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
