using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Placement;
using ReviewBot.Functions.Tasks;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// Queue demand for autoscalers (read key). <c>GET /api/queue</c>: the queued tasks grouped by the label filter they
/// wait for, each with the online agents that match and their free capacity (<see cref="QueueDemand"/>).
/// <c>GET /api/queue/metrics</c>: one number for KEDA's metrics-api scaler, <c>needNewAgents</c>, the tasks no online
/// agent's free slot can take: of one filter (<c>?filter=linux &amp;&amp; docker</c>, the text as configured), of every
/// filter an agent with given labels could serve (<c>?labels=linux,docker</c>, optionally <c>&amp;exclusive=true</c>),
/// or of the whole queue (neither). Both read this instance's placement queue and agent registry: no storage query.
/// </summary>
public static class QueueEndpoints
{
    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/queue").WithTags("Queue");
        group.MapGet("/", Get);
        group.MapGet("/metrics", Metrics);
        return app;
    }

    public static Ok<QueueView> Get(TaskQueue queue, IAgentPool agents) =>
        TypedResults.Ok(new QueueView(Demand(queue, agents)));

    public static Results<Ok<QueueMetric>, ProblemHttpResult> Metrics(string? filter, string? labels, bool? exclusive, TaskQueue queue, IAgentPool agents)
    {
        if (filter is not null && labels is not null)
            return Problem(400, "Invalid query", "Give either filter (a label filter, as configured) or labels (an agent's labels), not both.", "filter");
        var groups = Demand(queue, agents);
        IEnumerable<DemandGroup> chosen = groups;
        string? described = null;
        if (filter is not null)
        {
            try
            {
                var parsed = LabelFilter.Parse(filter);
                described = parsed.Text;
                chosen = groups.Where(g => g.Filter == parsed.Text);
            }
            catch (LabelFilterSyntaxException e)
            {
                return Problem(400, "Invalid label filter", $"filter: {e.Message}", "filter");
            }
        }
        else if (labels is not null)
        {
            var list = labels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (list.Length == 0) return Problem(400, "Invalid query", "labels: give the agent's labels, comma-separated (linux,docker).", "labels");
            described = null;
            chosen = groups.Where(g => QueueDemand.Fits(LabelFilter.Parse(g.Filter), list, exclusive ?? false));
        }
        var picked = chosen.ToList();
        return TypedResults.Ok(new QueueMetric(described, picked.Sum(g => g.Queued), picked.Sum(g => g.FreeCapacity), picked.Sum(g => g.NeedNewAgents)));
    }

    /// <summary>Tasks whose stored filter does not parse are left out: the placement loop fails them on its next pass.</summary>
    private static IReadOnlyList<DemandGroup> Demand(TaskQueue queue, IAgentPool agents) =>
        QueueDemand.Compute(
            queue.InOrder().Where(q => q.Filter is not null).Select(q => new QueuedDemand(q.Filter!, q.QueuedAt)),
            agents.Candidates());
}

/// <summary><c>GET /api/queue</c>: the groups, most in need of new agents first.</summary>
public sealed record QueueView(IReadOnlyList<DemandGroup> Groups)
{
    public int Queued => Groups.Sum(g => g.Queued);

    public int NeedNewAgents => Groups.Sum(g => g.NeedNewAgents);
}

/// <summary><c>GET /api/queue/metrics</c>: KEDA reads <c>needNewAgents</c> (<c>valueLocation: needNewAgents</c>).</summary>
public sealed record QueueMetric(string? Filter, int Queued, int FreeCapacity, int NeedNewAgents);
