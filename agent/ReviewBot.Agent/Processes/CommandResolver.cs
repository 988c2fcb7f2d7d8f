namespace ReviewBot.Agent.Processes;

/// <summary>Finds an executable the way a shell would, against the PATH the child will get.</summary>
internal static class CommandResolver
{
    /// <summary>The full path of <paramref name="command"/>, or null when there is no such executable.</summary>
    /// <param name="workingDirectory">Base of relative paths such as <c>./lint.sh</c>.</param>
    /// <param name="path">The child's PATH.</param>
    public static string? Resolve(string command, string workingDirectory, string? path)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        if (command.Contains('/') || (OperatingSystem.IsWindows() && (command.Contains('\\') || Path.IsPathRooted(command))))
        {
            return Candidates(Path.GetFullPath(command, workingDirectory)).FirstOrDefault(IsExecutable);
        }

        foreach (var directory in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var found = Candidates(Path.Combine(directory, command)).FirstOrDefault(IsExecutable);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static IEnumerable<string> Candidates(string path)
    {
        yield return path;
        if (OperatingSystem.IsWindows() && !Path.HasExtension(path))
        {
            foreach (var extension in (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return path + extension;
            }
        }
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
