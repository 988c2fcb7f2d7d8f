using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Scenarios;

/// <summary>
/// The two Table calls every state change of a task makes (TaskStore.UpdateAsync: GET the row, PUT it If-Match its
/// ETag), timed from outside the app against the same Azurite, at a low rate so as not to load it.
/// Tells how much of the placement latency is storage round trips.
/// </summary>
public static class StorageProbe
{
    public sealed record Result(Distribution Read, Distribution Write);

    public static async Task<Result?> RunAsync(string connectionString, string tableName, double perSecond, CancellationToken stop)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(tableName);
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        var entity = new TableEntity("probe", "row") { ["Data"] = new string('x', 2000) };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, CancellationToken.None);
        List<double> reads = [], writes = [];
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var t0 = Stopwatch.GetTimestamp();
                var row = await table.GetEntityAsync<TableEntity>("probe", "row", cancellationToken: CancellationToken.None);
                var t1 = Stopwatch.GetTimestamp();
                await table.UpdateEntityAsync(row.Value, row.Value.ETag, TableUpdateMode.Replace, CancellationToken.None);
                var t2 = Stopwatch.GetTimestamp();
                reads.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                writes.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) { }
        catch (RequestFailedException e)
        {
            BenchOutput.Out.WriteLine($"storage probe failed: {e.Message}");
        }
        return new Result(Distribution.Of(reads), Distribution.Of(writes));
    }
}
