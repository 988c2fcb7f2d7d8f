using System.Diagnostics;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Hosting;

/// <summary>
/// The Functions package as <c>scripts/publish.sh</c> makes it, once per test class, framework-dependent
/// (<c>--framework-dependent</c>: the same linux-x64 apphost, host.json and generated function.json set, without the
/// runtime, which keeps the publish fast), unpacked with Info-ZIP's <c>unzip</c> so file modes come from the zip.
/// </summary>
public sealed class FunctionsPackageFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-package-").FullName;

    public string Zip => Path.Combine(_dir, "reviewbot-functions.zip");
    public string AppRoot => Path.Combine(_dir, "app");

    public async Task InitializeAsync()
    {
        await RunAsync(Path.Combine(RepoPaths.Root, "scripts", "publish.sh"), ["--framework-dependent", "--out", _dir], TimeSpan.FromMinutes(5));
        await RunAsync("unzip", ["-q", Zip, "-d", AppRoot], TimeSpan.FromMinutes(1));
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

    public Task DisposeAsync()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
