using System.ComponentModel;
using System.Diagnostics;
using ReviewBot.Agent.Logs;
using ReviewBot.Agent.Processes;

namespace ReviewBot.Agent.Workspaces;

/// <summary>A failed git command; the message is masked and says what git said.</summary>
internal sealed class GitException(string message) : Exception(message);

/// <summary>
/// Runs git non-interactively: never prompts (GIT_TERMINAL_PROMPT=0, ssh in batch mode), ignores
/// variables that would point git at another repository, and takes credentials only through
/// <see cref="GitCredentials"/> environment variables. Callers put <c>--</c> before every repository and path
/// argument, and check refs and commits with <see cref="ReviewBot.Contracts.Agents.SourceRules"/> first.
/// </summary>
internal static class Git
{
    private static readonly string[] RepositoryVariables =
        ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES"];

    /// <summary>Runs git and returns its stdout; throws <see cref="GitException"/> on a non-zero exit.</summary>
    public static async Task<string> RunAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null,
        SecretMasker? masker = null)
    {
        var (exitCode, stdout, stderr) = await TryRunAsync(workingDirectory, arguments, cancellationToken, environment).ConfigureAwait(false);
        if (exitCode != 0)
        {
            masker ??= SecretMasker.None;
            var said = masker.Apply(stderr.Trim());
            throw new GitException($"git {Subcommand(arguments)} failed (exit {exitCode}){(said.Length > 0 ? ": " + said : "")}");
        }

        return stdout;
    }

    /// <summary>The git command an argv runs ("fetch"), past the leading <c>-c name=value</c> settings.</summary>
    private static string Subcommand(IReadOnlyList<string> arguments)
    {
        var i = 0;
        while (i + 1 < arguments.Count && arguments[i] == "-c")
        {
            i += 2;
        }

        return i < arguments.Count ? arguments[i] : "";
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRunAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = ChildProcess.Redirected("git", workingDirectory);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in RepositoryVariables)
        {
            info.Environment.Remove(name);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";

        // Transports whose policy is "user" (ext among them, when allowed at all) are refused for anything git was given.
        info.Environment["GIT_PROTOCOL_FROM_USER"] = "0";
        info.Environment["GCM_INTERACTIVE"] = "never";
        info.Environment["GIT_SSH_COMMAND"] = Environment.GetEnvironmentVariable("GIT_SSH_COMMAND") ?? "ssh -o BatchMode=yes";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new GitException($"git could not be started ({ex.Message}); is git installed and on PATH?");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            throw;
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
