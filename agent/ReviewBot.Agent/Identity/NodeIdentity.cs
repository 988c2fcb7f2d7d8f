using System.Reflection;
using System.Runtime.InteropServices;

namespace ReviewBot.Agent.Identity;

/// <summary>Who this agent is: a node id that survives restarts, plus version and platform.</summary>
internal sealed record NodeIdentity(string NodeId, string Version, string Os, string Arch)
{
    public const string FileName = "node-id";

    /// <summary>
    /// Reads <c>&lt;workDir&gt;/node-id</c>, creating it once with a new id. The work dir belongs to
    /// one agent: two agents sharing it would share the id.
    /// </summary>
    public static NodeIdentity Load(string workDir)
    {
        Directory.CreateDirectory(workDir);
        return new NodeIdentity(LoadOrCreateNodeId(Path.Combine(workDir, FileName)), AgentVersion, CurrentOs, CurrentArch);
    }

    public static string AgentVersion { get; } =
        typeof(NodeIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(NodeIdentity).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    public static string CurrentOs { get; } =
        OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsMacOS() ? "macos"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : RuntimeInformation.OSDescription;

    public static string CurrentArch { get; } = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    private static string LoadOrCreateNodeId(string path)
    {
        if (TryRead(path) is { } existing)
        {
            return existing;
        }

        // Write to a temporary file and move it into place, so a crash never leaves a half-written id
        // and a concurrent first start keeps whichever id landed first.
        var id = Guid.NewGuid().ToString("n");
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, id + Environment.NewLine);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return id;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return TryRead(path) ?? throw new InvalidDataException($"{path} exists but holds no node id; delete it to get a new one.");
        }
    }

    private static string? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        return text.Length > 0 ? text : null;
    }
}
