using System.Diagnostics;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Functions;

/// <summary>
/// The Functions package as <c>scripts/publish.sh</c> makes it, built once per test run and shared by every test that
/// needs it (a publish takes long; the package does not change within a run), unpacked with Info-ZIP's <c>unzip</c>.
/// Removed when the test process exits.
/// </summary>
public sealed class WorkerPackage
{
    private static readonly Lazy<Task<WorkerPackage>> Shared = new(BuildAsync);
    private readonly string _dir;

    private WorkerPackage(string dir) => _dir = dir;

    public static Task<WorkerPackage> GetAsync() => Shared.Value;

    public string Zip => Path.Combine(_dir, "reviewbot-functions.zip");
    public string AppRoot => Path.Combine(_dir, "app");
    /// <summary>publish.sh's summary line.</summary>
    public string PublishOutput { get; private set; } = "";

    private static async Task<WorkerPackage> BuildAsync()
    {
        var dir = Directory.CreateTempSubdirectory("reviewbot-package-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } };
        var package = new WorkerPackage(dir);
        package.PublishOutput = await RunAsync(Path.Combine(RepoPaths.Root, "scripts", "publish.sh"), ["--out", dir], TimeSpan.FromMinutes(10));
        await RunAsync("unzip", ["-q", package.Zip, "-d", package.AppRoot], TimeSpan.FromMinutes(1));
        return package;
    }

    public static async Task<string> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WithTimeout(timeout, $"{Path.GetFileName(file)} to finish");
        var output = await stdout + await stderr;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}:\n{output}");
        return output;
    }
}
