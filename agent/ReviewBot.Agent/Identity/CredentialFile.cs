using System.Text.Json;

namespace ReviewBot.Agent.Identity;

/// <summary>
/// The agent's own credential, <c>&lt;workDir&gt;/agent-credential</c>: JSON <c>{"server", "nodeId", "credential"}</c>,
/// readable and writable by the agent's user only (mode 0600 on Unix). It is written by <c>reviewbot-agent register</c>
/// or by the first connection with a bootstrap token, and used only for the server it was issued by: pointed at another
/// server, the agent does not send it there. <see cref="ToString"/> never shows the credential.
/// </summary>
internal sealed record CredentialFile(string Server, string NodeId, string Credential)
{
    public const string FileName = "agent-credential";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathIn(string workDir) => Path.Combine(workDir, FileName);

    /// <summary>The stored credential, or null when there is none. A file that is not a credential is an error (never overwritten silently).</summary>
    public static CredentialFile? Load(string workDir)
    {
        var path = PathIn(workDir);
        if (!File.Exists(path)) return null;
        CredentialFile? file;
        try { file = JsonSerializer.Deserialize<CredentialFile>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not an agent credential ({e.Message}); delete it and register again.", e); }
        if (file is null || string.IsNullOrEmpty(file.Server) || string.IsNullOrEmpty(file.NodeId) || string.IsNullOrEmpty(file.Credential))
            throw new InvalidDataException($"{path} is not an agent credential; delete it and register again.");
        return file;
    }

    /// <summary>Whether this credential was issued by <paramref name="server"/> (same scheme, host, port and path).</summary>
    public bool IsFor(Uri server) => string.Equals(Normalize(Server), Normalize(server.AbsoluteUri), StringComparison.OrdinalIgnoreCase);

    public static string Normalize(string server) => server.TrimEnd('/');

    /// <summary>Writes the file readable by this user only: a new file created with mode 0600 and moved into place, so the
    /// credential is never on disk with wider permissions or half-written.</summary>
    public void Save(string workDir)
    {
        Directory.CreateDirectory(workDir);
        var path = PathIn(workDir);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, this, Json);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Group or others may read the file (it was copied or its mode changed): the agent warns.</summary>
    public static bool IsExposed(string workDir) =>
        !OperatingSystem.IsWindows() && File.Exists(PathIn(workDir))
        && (File.GetUnixFileMode(PathIn(workDir)) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;

    public override string ToString() => $"credential of node {NodeId} for {Server}";
}
