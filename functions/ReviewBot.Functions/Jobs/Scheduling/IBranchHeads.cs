namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>The head commit of a branch, read from the code host, for poll triggers (<see cref="BranchPoller"/>).
/// Implemented by the code host jobs run against (CodeHosts/GitHub/Jobs/GitHubBranchHeads.cs).</summary>
public interface IBranchHeads
{
    /// <summary>The sha of <paramref name="branch"/>'s head in <paramref name="repository"/>. Throws
    /// <see cref="HttpRequestException"/> when the host cannot say (no such branch or repository, refused, unreachable).</summary>
    Task<string> HeadAsync(string repository, string branch, CancellationToken ct);
}
