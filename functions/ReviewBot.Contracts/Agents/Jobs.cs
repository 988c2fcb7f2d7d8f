namespace ReviewBot.Contracts.Agents;

/// <summary>
/// A job's work as the agent runs it: the steps in order, each a shell command run in the checkout of the job's
/// ref (<c>sh -c</c>; <c>cmd /c</c> on Windows), with <see cref="Variables"/> and <see cref="Secrets"/> in the
/// environment. The first step that fails ends the run; later steps are reported as not run. The values of
/// <see cref="Secrets"/> are masked in everything the agent sends.
/// </summary>
/// <param name="Name">The job's name.</param>
public sealed record JobSpec(
    string Name,
    IReadOnlyList<JobStep> Steps,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyDictionary<string, string> Secrets,
    TimeSpan Timeout);

/// <param name="Name">Shown in the log and the result; "step 1" when the definition gives none.</param>
/// <param name="Run">The command line, given to the shell as is.</param>
public sealed record JobStep(string Name, string Run);

/// <summary>How one step ended. <see cref="ExitCode"/> is null for a step that did not run (an earlier one failed)
/// or that was killed (timeout, abort).</summary>
public sealed record StepResult(string Name, int? ExitCode, TimeSpan Duration, bool Ran);
