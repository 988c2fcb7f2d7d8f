namespace ReviewBot.Tests.Agent.TestSupport;

internal static class ProcessProbe
{
    /// <summary>True while the process exists and is not a zombie (a container's pid 1 may not reap orphans).</summary>
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
