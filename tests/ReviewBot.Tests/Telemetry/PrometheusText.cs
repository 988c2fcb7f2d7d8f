using System.Globalization;
using System.Text.RegularExpressions;

namespace ReviewBot.Tests.Telemetry;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4): every line is a <c># HELP</c>, a <c># TYPE</c>, a
/// comment or a sample <c>name{label="value",…} value [timestamp]</c>; anything else throws, naming the line. Samples
/// are grouped into the families their <c># TYPE</c> declared (a histogram's <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).
/// </summary>
public sealed partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public List<Sample> Samples { get; } = [];

    /// <summary>Family name → its declared type.</summary>
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var m = TypeLine().Match(line);
                if (!m.Success) throw new FormatException($"line {number}: bad TYPE line: {line}");
                if (!result.Types.TryAdd(m.Groups[1].Value, m.Groups[2].Value)) throw new FormatException($"line {number}: family {m.Groups[1].Value} typed twice");
                continue;
            }
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                if (!HelpLine().IsMatch(line)) throw new FormatException($"line {number}: bad HELP line: {line}");
                continue;
            }
            if (line[0] == '#') continue;
            result.Samples.Add(ParseSample(line, number));
        }
        foreach (var sample in result.Samples)
            if (result.FamilyOf(sample.Name) is null) throw new FormatException($"sample {sample.Name} belongs to no typed family");
        return result;
    }

    /// <summary>The family a sample name belongs to (a histogram's <c>x_bucket</c> → <c>x</c>); null when none.</summary>
    public string? FamilyOf(string sample)
    {
        if (Types.ContainsKey(sample)) return sample;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && Types.TryGetValue(sample[..^suffix.Length], out var type) && type is "histogram" or "summary")
                return sample[..^suffix.Length];
        return null;
    }

    private static Sample ParseSample(string line, int number)
    {
        var m = SampleLine().Match(line);
        if (!m.Success) throw new FormatException($"line {number}: not a sample: {line}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (m.Groups[2].Success && m.Groups[2].Value.Length > 0)
        {
            var rest = m.Groups[2].Value;
            var at = 0;
            while (at < rest.Length)
            {
                var l = LabelPair().Match(rest, at);
                if (!l.Success || l.Index != at) throw new FormatException($"line {number}: bad label at {at}: {line}");
                if (!labels.TryAdd(l.Groups[1].Value, Unescape(l.Groups[2].Value))) throw new FormatException($"line {number}: label {l.Groups[1].Value} twice");
                at += l.Length;
            }
        }
        return new Sample(m.Groups[1].Value, labels, Value(m.Groups[3].Value, number));
    }

    private static double Value(string text, int number) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"line {number}: bad value {text}"),
    };

    private static string Unescape(string value) => value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*"",?)*)\})? (\S+)(?: -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)"",?")]
    private static partial Regex LabelPair();
}
