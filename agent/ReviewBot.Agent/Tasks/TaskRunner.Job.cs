using System.Globalization;
using ReviewBot.Agent.Logs;
using ReviewBot.Agent.Processes;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Tasks;

/// <summary>
/// A job's task: check out the source (a job on a ref learns its commit here, reported as
/// <see cref="TaskResult.ResolvedSha"/>), then run the steps in order, each a shell command in its own process group in
/// the checkout, its output streamed between a header (<c>▶ step 2/3: build</c>) and a footer (<c>✔ exit 0 in 1.2s</c>).
/// The first step that fails ends the run and the steps after it are reported as not run. The job's timeout bounds
/// the whole run, checkout included; a cancel kills the running step's tree. No output is parsed: jobs have no findings.
/// </summary>
internal sealed partial class TaskRunner
{
    private async Task<TaskResult> RunJobAsync(JobSpec job, Action<string> notice, LogStreamer log, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var timeout = _options.Limits(job.Timeout).Timeout;
        using var deadline = new CancellationTokenSource(Clamp(timeout), _time);
        using var checkoutLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        GitWorkspace? workspace;
        TaskResult? failure;
        try
        {
            (workspace, failure) = await CheckoutAsync(notice, checkoutLimit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            (workspace, failure) = (null, Result(TaskOutcome.TimedOut, error: $"timed out after {timeout} while checking out {_assignment.Source.Repository}@{Revision}"));
        }

        if (workspace is null)
        {
            return failure! with { Steps = [.. job.Steps.Select((step, i) => NotRun(step, i))] };
        }

        await using (workspace.ConfigureAwait(false))
        {
            var environment = TaskCommand.JobEnvironment(_assignment, job, workspace.HeadSha, workspace.Checkout, _options.InheritedEnvironment());
            var steps = new List<StepResult>();
            TaskResult? end = null;
            int? lastExitCode = null;
            for (var i = 0; i < job.Steps.Count; i++)
            {
                var remaining = timeout - _time.GetElapsedTime(started);
                if (end is null && (cancellationToken.IsCancellationRequested || remaining <= TimeSpan.Zero))
                {
                    end = cancellationToken.IsCancellationRequested
                        ? Result(TaskOutcome.Cancelled, error: CancelledError())
                        : Result(TaskOutcome.TimedOut, error: $"timed out after {timeout}");
                }

                if (end is not null)
                {
                    steps.Add(NotRun(job.Steps[i], i));
                    continue;
                }

                var (step, stepEnd) = await RunStepAsync(job, i, workspace.Checkout, environment, remaining, timeout, log, cancellationToken).ConfigureAwait(false);
                steps.Add(step);
                lastExitCode = step.ExitCode ?? lastExitCode;
                end = stepEnd;
            }

            return (end ?? Result(TaskOutcome.Succeeded, lastExitCode)) with { Steps = steps, ResolvedSha = workspace.HeadSha };
        }
    }

    /// <summary>Runs step <paramref name="index"/>; the result ends the job (failed, timed out, cancelled, not started) or is null to go on.</summary>
    private async Task<(StepResult Step, TaskResult? End)> RunStepAsync(
        JobSpec job,
        int index,
        string checkout,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan remaining,
        TimeSpan jobTimeout,
        LogStreamer log,
        CancellationToken cancellationToken)
    {
        var name = StepName(job.Steps[index], index);
        var label = $"step {index + 1}/{job.Steps.Count}";
        log.Write($"▶ {label}: {name}\n");

        var lastChar = '\n';
        void Output(string text)
        {
            lastChar = text[^1];
            log.Write(text);
        }

        var (fileName, arguments) = TaskCommand.StepCommand(job.Steps[index].Run, environment);
        var limits = _options.Limits(remaining) with { MaxCapturedChars = 0 }; // streamed, never parsed
        var started = _time.GetTimestamp();
        var (outcome, startError) = await RunProcessAsync(new ProcessSpec(fileName, arguments, checkout, environment), limits, Output, cancellationToken).ConfigureAwait(false);
        var took = _time.GetElapsedTime(started);
        var newline = lastChar == '\n' ? "" : "\n";
        if (outcome is null)
        {
            log.Write($"{newline}✖ could not start: {startError}\n");
            return (new StepResult(name, null, took, Ran: true), Result(TaskOutcome.Errored, error: $"{label} '{name}': {startError}"));
        }

        var seconds = took.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var (footer, end) = outcome.End switch
        {
            ProcessEnd.TimedOut => ($"✖ killed: the job's timeout of {jobTimeout} ran out after {seconds}s", Interrupted(outcome, jobTimeout)),
            ProcessEnd.Cancelled => ($"✖ killed: {CancelledError()}", Interrupted(outcome, jobTimeout)),
            _ when outcome.ExitCode == 0 => ($"✔ exit 0 in {seconds}s", null),
            _ => ($"✖ exit {outcome.ExitCode} in {seconds}s",
                Result(TaskOutcome.Failed, outcome.ExitCode, error: $"{label} '{name}' exited with {outcome.ExitCode}")),
        };
        log.Write($"{newline}{footer}\n");
        return (new StepResult(name, outcome.ExitCode, took, Ran: true), end);
    }

    private static StepResult NotRun(JobStep step, int index) => new(StepName(step, index), null, TimeSpan.Zero, Ran: false);

    private static string StepName(JobStep step, int index) => string.IsNullOrWhiteSpace(step.Name) ? $"step {index + 1}" : step.Name;

    /// <summary>Timers take at most about 24 days; a longer timeout is as good as none.</summary>
    private static TimeSpan Clamp(TimeSpan value) => value > TimeSpan.FromDays(24) ? TimeSpan.FromDays(24) : value;
}
