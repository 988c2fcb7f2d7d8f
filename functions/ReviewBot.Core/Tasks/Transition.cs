namespace ReviewBot.Core.Tasks;

/// <summary>What a transition (<see cref="TaskTransitions"/>) makes of a task: the new value, or why it does not apply
/// to the task as it is (not in a state the transition starts from, another lease or node, already ended).</summary>
public readonly record struct Transition
{
    private Transition(ReviewTask? task, string? refusal)
    {
        Task = task;
        Refusal = refusal;
    }

    /// <summary>The task after the transition; null when it was refused.</summary>
    public ReviewTask? Task { get; }

    /// <summary>Why the transition does not apply; null when it does.</summary>
    public string? Refusal { get; }

    public bool Applies => Task is not null;

    public static Transition To(ReviewTask task) => new(task, null);

    public static Transition Refused(string why) => new(null, why);

    public override string ToString() => Task is { } t ? $"→ {t.State}" : $"refused: {Refusal}";
}
