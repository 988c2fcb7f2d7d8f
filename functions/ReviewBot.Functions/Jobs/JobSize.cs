using System.Text.Json;
using ReviewBot.Core;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// A job definition travels whole in its API row and in the row of every task it starts (steps, variables and secrets
/// go to the agent from there), so its JSON is capped at <see cref="FieldLimits.JobDefinition"/> even when each field is
/// within its own cap. The error names the part that weighs most.
/// </summary>
internal static class JobSize
{
    /// <summary>Null when the definition fits; else what weighs too much, on the field that weighs most.</summary>
    public static JobFieldError? Check(JobDefinition job)
    {
        var total = Chars(job);
        if (total <= FieldLimits.JobDefinition) return null;
        var heaviest = new (string Field, int Chars)[]
        {
            ("steps", Chars(job.Steps)), ("variables", Chars(job.Variables)), ("secrets", Chars(job.Secrets)),
            ("nodeLabels", job.NodeLabels.Length), ("cloneUrl", job.CloneUrl?.Length ?? 0), ("trigger", Chars(job.Trigger)),
        }.MaxBy(p => p.Chars);
        return new JobFieldError(heaviest.Field, $"the definition is {total} characters as stored ({heaviest.Field}: {heaviest.Chars}); at most {FieldLimits.JobDefinition} are accepted");
    }

    private static int Chars<T>(T value) => JsonSerializer.Serialize(value, StorageJson.Options).Length;
}
