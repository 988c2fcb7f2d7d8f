using System.Reflection;
using BenchmarkDotNet.Attributes;
using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Micro;

/// <summary>
/// `micro --smoke`: every [Benchmark] method of this assembly called once for each value of its [Params], between
/// its [GlobalSetup] and [GlobalCleanup], in this process. It proves the benchmarks still build their inputs and run
/// (BenchmarkDotNet itself would compile and start a process per benchmark, minutes); it measures nothing.
/// </summary>
public static class MicroSmoke
{
    public static int Run()
    {
        var ran = 0;
        foreach (var type in typeof(MicroSmoke).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)))
        {
            foreach (var values in ParamCombinations(type))
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var (property, value) in values) property.SetValue(instance, value);
                Invoke<GlobalSetupAttribute>(type, instance);
                foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                {
                    method.Invoke(instance, null);
                    ran++;
                }
                Invoke<GlobalCleanupAttribute>(type, instance);
                BenchOutput.Out.WriteLine($"{type.Name}({string.Join(", ", values.Select(v => $"{v.Property.Name}={v.Value}"))}): ran");
            }
        }
        BenchOutput.Out.WriteLine($"micro smoke: {ran} benchmark calls");
        return ran > 0 ? 0 : 1;
    }

    private static void Invoke<T>(Type type, object instance) where T : Attribute
    {
        foreach (var m in type.GetMethods().Where(m => m.GetCustomAttribute<T>() is not null)) m.Invoke(instance, null);
    }

    /// <summary>Every combination of the [Params] values of the type's properties (one empty combination without any).</summary>
    private static IEnumerable<List<(PropertyInfo Property, object? Value)>> ParamCombinations(Type type)
    {
        IEnumerable<List<(PropertyInfo, object?)>> all = [[]];
        foreach (var p in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
        {
            var values = p.GetCustomAttribute<ParamsAttribute>()!.Values;
            all = [.. all.SelectMany(c => values.Select(v => new List<(PropertyInfo, object?)>(c) { (p, v) }))];
        }
        return all;
    }
}
