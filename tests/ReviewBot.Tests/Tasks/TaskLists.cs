using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks;

/// <summary>Whole lists for assertions: every page of a query, following the cursors.</summary>
public static class TaskLists
{
    public static async Task<IReadOnlyList<ReviewTask>> ListAllAsync(this ITaskStore store, TaskListQuery? query = null, int limit = TaskListQuery.MaxLimit)
    {
        query ??= new TaskListQuery();
        var all = new List<ReviewTask>();
        string? cursor = null;
        do
        {
            var page = await store.PageAsync(query, cursor, limit, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            all.AddRange(page.Tasks);
            cursor = page.Next;
        } while (cursor is not null);
        return all;
    }
}
