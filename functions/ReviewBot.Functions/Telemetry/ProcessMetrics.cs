using ReviewBot.Functions.Hosting.Diagnostics;

namespace ReviewBot.Functions.Telemetry;

/// <summary>
/// The process's memory as the bench and a dashboard read it (meter <c>ReviewBot.Process</c>; the runtime's own
/// <c>dotnet.*</c> instruments are exported too): <c>process.resident_memory</c> (bytes, the working set),
/// <c>dotnet.gc.heap</c> (bytes thought allocated on the managed heap, <see cref="GC.GetTotalMemory(bool)"/>),
/// <c>dotnet.gc.pause</c> (seconds the runtime paused for collections). No tags.
/// </summary>
public sealed class ProcessMetrics
{
    public ProcessMetrics(ReviewBotMeters meters)
    {
        var meter = meters.Create("Process");
        meter.CreateObservableGauge("process.resident_memory", () => Environment.WorkingSet, "By", "Resident memory size.");
        meter.CreateObservableGauge("dotnet.gc.heap", () => GC.GetTotalMemory(false), "By", "Bytes thought to be allocated on the managed heap.");
        meter.CreateObservableCounter("dotnet.gc.pause", () => GC.GetTotalPauseDuration().TotalSeconds, "s", "Time the runtime was paused for garbage collections.");
    }
}
