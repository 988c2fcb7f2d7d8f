using ReviewBot.Core.Paths;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Ingest;

/// <summary>One task to create: a linter, and for a linter with <c>paths</c>, <c>ignore</c> or <c>modules</c>, its
/// share of the change request (null when the changed files could not be read: one task, the agent applies the scope).</summary>
public sealed record LinterRun(ResolvedLinter Linter, PlannedRun? Run)
{
    /// <summary>"golangci (svc/api)" for a module's run (the root module is "."), else the linter's name: the name of
    /// its check run and commit status.</summary>
    public string Name => Run?.Module is { } module ? $"{Linter.Name} ({(module.Length == 0 ? "." : module)})" : Linter.Name;

    public Contracts.Agents.LinterSpec Spec => new(Name, Linter.Command, Linter.Args, Linter.Env,
        Run?.Module is { } module ? (module.Length == 0 ? "." : module) : Linter.WorkDir, Linter.Format, Linter.Languages, Linter.Timeout)
    {
        Scope = Run?.ScopeFor(Linter.Scope) ?? (LinterRuns.IsScoped(Linter) ? Linter.Scope : null),
        Baseline = Linter.Report.Filter == Core.Review.Diffs.FilterMode.New,
    };
}

/// <summary>
/// Which tasks a change request's linters get. A linter without <c>paths</c>, <c>ignore</c> or <c>modules</c> gets one
/// task, as it always did (the agent skips it when none of its languages changed). A scoped linter gets a task only
/// when a changed file counts for it, and a linter with <c>modules</c> one per module directory holding such files
/// (<see cref="ChangePlanner"/>); the changed files and, for <c>modules: auto</c>, the head commit's files come from the
/// repository's <see cref="IRepositoryReader"/>. When they cannot be read, a scoped linter gets one task and the agent
/// applies its paths and ignore globs.
/// </summary>
public sealed class LinterRuns(IEnumerable<IRepositoryReader> readers)
{
    private readonly IRepositoryReader[] _readers = [.. readers];

    public static bool IsScoped(ResolvedLinter linter) =>
        linter.Modules is not null || linter.Scope.Paths.Count > 0 || linter.Scope.Ignore.Count > 0;

    public IRepositoryReader? ReaderFor(ChangeRequest change) => _readers.FirstOrDefault(r => r.Serves(change));

    public async Task<IReadOnlyList<LinterRun>> PlanAsync(ChangeRequest change, IReadOnlyList<ResolvedLinter> linters, CancellationToken ct)
    {
        if (!linters.Any(IsScoped)) return [.. linters.Select(l => new LinterRun(l, null))];
        var reader = ReaderFor(change);
        var changed = reader is null ? null : await reader.ChangedFilesAsync(change, ct);
        IReadOnlyList<string>? headFiles = null;
        var runs = new List<LinterRun>();
        foreach (var linter in linters)
        {
            if (!IsScoped(linter) || changed is null)
            {
                runs.Add(new LinterRun(linter, null));
                continue;
            }

            IReadOnlyCollection<string>? modules = null;
            if (linter.Modules is { Auto: true })
            {
                headFiles ??= await reader!.FilesAsync(change, change.HeadSha, ct);
                if (headFiles is null)
                {
                    runs.Add(new LinterRun(linter, null));
                    continue;
                }

                modules = ChangePlanner.DetectModules(headFiles, linter.ModuleMarkers);
            }
            else if (linter.Modules is { } listed)
            {
                modules = listed.Directories;
            }

            runs.AddRange(ChangePlanner.Plan(changed, linter.Languages, linter.Scope, modules).Select(run => new LinterRun(linter, run)));
        }

        return runs;
    }
}
