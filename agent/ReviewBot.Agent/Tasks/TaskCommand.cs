using System.Text.RegularExpressions;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Tasks;

/// <summary>How a <see cref="LinterSpec"/> or a <see cref="JobStep"/> becomes argv and environment. Pure functions.</summary>
internal static partial class TaskCommand
{
    public const string FilesPlaceholder = "{files}";

    /// <summary>Variables passed through from the agent's environment; everything else stays out (tokens, cloud credentials).</summary>
    private static readonly string[] UnixPassThrough = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"];

    private static readonly string[] WindowsPassThrough =
    [
        "PATH", "PATHEXT", "SystemRoot", "SystemDrive", "windir", "ComSpec", "TEMP", "TMP", "USERPROFILE", "HOMEDRIVE", "HOMEPATH",
        "APPDATA", "LOCALAPPDATA", "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "NUMBER_OF_PROCESSORS",
        "PROCESSOR_ARCHITECTURE", "OS", "LANG", "LC_ALL",
    ];

    /// <summary>
    /// Expands the arguments. The files are the pull request author's names, so none may become an option or code:
    /// an argument that is exactly <c>{files}</c> becomes one argument per file, each as <c>./path</c> (a file named
    /// <c>--help.sh</c> stays a file); <c>{files}</c> inside a longer argument (a <c>sh -c</c> script) becomes the
    /// files as shell-quoted words (<c>'./a.sh' './it'\''s.sh'</c>; double quotes on Windows, whose file names cannot
    /// hold one) joined by spaces. <c>$ARTIFACT</c> and <c>${ARTIFACT}</c> become the artifact directory, in the
    /// configured text only, never inside a file name.
    /// </summary>
    public static IReadOnlyList<string> ExpandArguments(IReadOnlyList<string> arguments, IReadOnlyList<string> files, string artifactDirectory)
    {
        var expanded = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument == FilesPlaceholder)
            {
                expanded.AddRange(files.Select(AsPath));
                continue;
            }

            var value = ExpandArtifact(argument, artifactDirectory);
            if (value.Contains(FilesPlaceholder, StringComparison.Ordinal))
            {
                value = value.Replace(FilesPlaceholder, string.Join(' ', files.Select(f => ShellWord(AsPath(f)))), StringComparison.Ordinal);
            }

            expanded.Add(value);
        }

        return expanded;
    }

    /// <summary>A repository-relative path ('/' separated, as git lists it) that no program reads as an option.</summary>
    internal static string AsPath(string file) => "./" + file;

    /// <summary>One word for <c>sh</c> (single quotes, a quote inside as <c>'\''</c>) or, on Windows, for <c>cmd</c>.</summary>
    internal static string ShellWord(string text) =>
        OperatingSystem.IsWindows() ? $"\"{text}\"" : $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    public static string ExpandArtifact(string value, string artifactDirectory) =>
        Artifact().Replace(value, _ => artifactDirectory);

    /// <summary>
    /// The linter's whole environment: a few variables of the agent's (PATH, HOME, locale, temp
    /// dir; on Windows the system ones), then ARTIFACT and REVIEWBOT_*, then the linter's own env
    /// (which may override any of them).
    /// </summary>
    /// <param name="agentEnvironment">Reads the agent's environment (the process environment in production).</param>
    public static IReadOnlyDictionary<string, string> Environment(
        TaskAssignment assignment,
        string artifactDirectory,
        string filesListPath,
        string checkout,
        Func<string, string?> agentEnvironment)
    {
        var environment = NewEnvironment();
        foreach (var name in OperatingSystem.IsWindows() ? WindowsPassThrough : UnixPassThrough)
        {
            if (agentEnvironment(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        environment.TryAdd("LANG", "C.UTF-8");
        var source = assignment.Source;
        environment["ARTIFACT"] = artifactDirectory;
        environment["REVIEWBOT_TASK_ID"] = assignment.TaskId;
        environment["REVIEWBOT_LINTER"] = assignment.Linter.Name;
        environment["REVIEWBOT_REPOSITORY"] = source.Repository;
        environment["REVIEWBOT_HEAD_SHA"] = source.HeadSha;
        environment["REVIEWBOT_BASE_SHA"] = source.BaseSha ?? "";
        environment["REVIEWBOT_PULL_REQUEST"] = source.PullRequest?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        environment["REVIEWBOT_CHANGED_FILES"] = filesListPath;
        environment["REVIEWBOT_WORKSPACE"] = checkout;
        foreach (var (name, value) in assignment.Linter.Env)
        {
            environment[name] = ExpandArtifact(value, artifactDirectory);
        }

        return environment;
    }

    /// <summary>
    /// A job step's whole environment: the agent's own (minus its <c>REVIEWBOT_*</c> settings, the agent token
    /// among them), then the job's variables and secrets, then the well-known <c>CI=true</c> and
    /// <c>REVIEWBOT_*</c> that describe the run (they win, so a step can trust them).
    /// </summary>
    /// <param name="agentEnvironment">The agent's environment (the process environment in production).</param>
    public static IReadOnlyDictionary<string, string> JobEnvironment(
        TaskAssignment assignment,
        JobSpec job,
        string headSha,
        string checkout,
        IReadOnlyDictionary<string, string> agentEnvironment)
    {
        var environment = NewEnvironment();
        foreach (var (name, value) in agentEnvironment)
        {
            if (!name.StartsWith("REVIEWBOT_", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in job.Variables.Concat(job.Secrets))
        {
            environment[name] = value;
        }

        var source = assignment.Source;
        environment["CI"] = "true";
        environment["REVIEWBOT_TASK_ID"] = assignment.TaskId;
        environment["REVIEWBOT_JOB"] = job.Name;
        environment["REVIEWBOT_REPOSITORY"] = source.Repository;
        environment["REVIEWBOT_REF"] = source.HeadRef ?? "";
        environment["REVIEWBOT_SHA"] = headSha;
        environment["REVIEWBOT_WORKSPACE"] = checkout;
        return environment;
    }

    /// <summary>The shell that runs a step's command line: <c>sh -c</c>, or <c>cmd /c</c> on Windows.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) StepCommand(string run, IReadOnlyDictionary<string, string> environment) =>
        OperatingSystem.IsWindows()
            ? (environment.GetValueOrDefault("ComSpec") ?? "cmd.exe", ["/c", run])
            : (File.Exists("/bin/sh") ? "/bin/sh" : "sh", ["-c", run]);

    private static Dictionary<string, string> NewEnvironment() =>
        new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{ARTIFACT\}|\$ARTIFACT(?![A-Za-z0-9_])")]
    private static partial Regex Artifact();
}
