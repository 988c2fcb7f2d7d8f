using System.Globalization;

namespace ReviewBot.Contracts.Agents;

/// <summary>
/// What an <see cref="AgentRegistration"/> may hold. The server refuses any other registration before it changes
/// anything, naming the field (<see cref="Problem"/>); the agent checks its own flags against the same limits.
/// Node ids are restricted to <c>A-Z a-z 0-9 . _ -</c> so that they are safe in table keys, URLs, log lines and the
/// <c>nodeId:secret</c> credential (<see cref="AgentCredentialFormat"/>).
/// </summary>
public static class RegistrationRules
{
    public const int MaxNodeIdLength = 128;
    public const int MaxNameLength = 200;
    public const int MaxLabels = 64;
    public const int MaxLabelLength = 100;
    public const int MaxCapacity = 256;
    /// <summary>Version, OS and architecture strings.</summary>
    public const int MaxPlatformLength = 64;
    public const int MaxTaskIdLength = 256;

    public static bool IsValidNodeId(string? nodeId) =>
        nodeId is { Length: > 0 and <= MaxNodeIdLength } && nodeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public const string NodeIdRule = "1-128 characters of A-Z, a-z, 0-9, '.', '_' and '-'";

    /// <summary>Shown text (names, labels): no control or invisible formatting characters (e.g. right-to-left overrides).</summary>
    public static bool IsPlainText(string text) =>
        text.All(c => !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format);

    /// <summary>The first thing wrong with <paramref name="r"/> as <c>field: what is wrong</c>, or null when it may register.
    /// Null lists and entries (which JSON can carry whatever the C# types say) are problems too.</summary>
    public static string? Problem(AgentRegistration? r)
    {
        if (r is null) return "registration: missing";
        if (r.ProtocolVersion != AgentProtocol.Version)
            return $"protocolVersion: {r.ProtocolVersion} is not supported; this server speaks {AgentProtocol.Version}";
        if (!IsValidNodeId(r.NodeId)) return $"nodeId: must be {NodeIdRule}";
        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Length > MaxNameLength || !IsPlainText(r.Name))
            return $"name: must be 1-{MaxNameLength} characters without control or formatting characters";
        if (r.Capacity is < 1 or > MaxCapacity) return $"capacity: must be 1-{MaxCapacity}, got {r.Capacity}";
        if (LabelsProblem(r.Labels) is { } labels) return "labels: " + labels;
        foreach (var (field, value) in new[] { ("version", r.Version), ("os", r.Os), ("arch", r.Arch) })
            if (value is null || value.Length > MaxPlatformLength || !IsPlainText(value))
                return $"{field}: must be at most {MaxPlatformLength} characters without control or formatting characters";
        if (r.RunningTasks is null) return "runningTasks: missing (send [] when no task runs)";
        if (r.RunningTasks.Count > MaxCapacity) return $"runningTasks: at most {MaxCapacity}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in r.RunningTasks)
        {
            if (t is null || string.IsNullOrEmpty(t.TaskId) || t.TaskId.Length > MaxTaskIdLength || string.IsNullOrEmpty(t.LeaseToken) || t.LeaseToken.Length > MaxTaskIdLength)
                return "runningTasks: every entry needs a taskId and a leaseToken";
            if (!seen.Add(t.TaskId)) return $"runningTasks: task {t.TaskId} is listed twice";
        }
        return null;
    }

    /// <summary>What is wrong with a label list, or null.</summary>
    public static string? LabelsProblem(IReadOnlyList<string>? labels)
    {
        if (labels is null) return "missing (send [] for none)";
        if (labels.Count > MaxLabels) return $"at most {MaxLabels} labels, got {labels.Count}";
        foreach (var l in labels)
            if (string.IsNullOrWhiteSpace(l) || l.Length > MaxLabelLength || !IsPlainText(l))
                return $"every label must be 1-{MaxLabelLength} characters without control or formatting characters";
        return null;
    }
}
