namespace ReviewBot.Agent.Workspaces;

internal static class DirectoryCleanup
{
    /// <summary>Deletes a directory tree, read-only files included; false when something stayed.</summary>
    public static bool TryDelete(string path)
    {
        if (!Directory.Exists(path))
        {
            return true;
        }

        try
        {
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read-only entries (git objects, files a linter protected) block deletion; make them writable and retry once.
            try
            {
                if (!OperatingSystem.IsWindows())
                {
                    // A directory without write permission keeps its entries on Unix.
                    const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                    File.SetUnixFileMode(path, owner);
                    foreach (var directory in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories))
                    {
                        File.SetUnixFileMode(directory, owner);
                    }
                }

                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(path, recursive: true);
                return true;
            }
            catch (Exception retry) when (retry is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
