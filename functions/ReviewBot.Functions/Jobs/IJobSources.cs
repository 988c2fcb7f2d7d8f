namespace ReviewBot.Functions.Jobs;

/// <summary>Where a job that names no clone URL of its own is cloned from: its repository on the code host. Implemented
/// by the code host jobs run against (CodeHosts/GitHub/Jobs/GitHubJobSources.cs).</summary>
public interface IJobSources
{
    /// <summary>The clone URL of <paramref name="repository"/> (<c>owner/name</c>).</summary>
    string CloneUrlFor(string repository);
}
