using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ReviewBot.Agent.Linting;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Commands;

/// <summary>
/// <c>reviewbot-agent lint-output --format auto|gcc|msbuild|checkstyle|sarif|rdjson|diff [--repo-root DIR] [FILE]</c>:
/// parses a linter's output (FILE, or stdin when omitted) and prints one JSON object per line: first the findings
/// (<c>{"file","line","column","endLine","severity","rule","message","fix"}</c>, every key present, null when unknown;
/// <c>fix</c> is <c>{"startLine","endLine","text"}</c>: those whole lines become <c>text</c>),
/// then <c>{"unexpected": "…"}</c> for each line no parser understood.
/// Exit codes: 0 = parsed (findings or not); 2 = unknown format or unreadable input, with the reason on stderr.
/// </summary>
public static class LintOutputCommand
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;

    // Relaxed escaping keeps quotes like ‘x’ and non-ASCII text readable. The output is a JSON Lines stream for
    // programs and terminals, never embedded in HTML, which is what the default encoder guards against.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", OutputFormats.All)}. 'auto' detects it from the content.",
            DefaultValueFactory = _ => "auto",
        };
        var repoRoot = new Option<string?>("--repo-root")
        {
            Description = "Repository root: absolute paths under it are printed relative to it.",
        };
        var file = new Argument<string?>("FILE")
        {
            Description = "File holding the linter output; standard input when omitted or '-'.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        var command = new Command("lint-output", "Parse linter output into findings, printed as JSON lines.")
        {
            format,
            repoRoot,
            file,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var formatName = parseResult.GetValue(format) ?? "auto";
            var root = parseResult.GetValue(repoRoot);
            var path = parseResult.GetValue(file);
            if (!OutputFormats.IsKnown(formatName))
            {
                return await UnknownFormatAsync(formatName, error);
            }

            var fullRoot = string.IsNullOrWhiteSpace(root) ? null : Path.GetFullPath(root);
            if (path is null || path == "-")
            {
                return await RunAsync(formatName, Console.In, output, error, fullRoot, cancellationToken);
            }

            StreamReader reader;
            try
            {
                reader = new StreamReader(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                await error.WriteLineAsync($"lint-output: cannot read '{path}': {ex.Message}");
                return ExitUsage;
            }

            using (reader)
            {
                return await RunAsync(formatName, reader, output, error, fullRoot, cancellationToken);
            }
        });
        return command;
    }

    /// <summary>Parses <paramref name="input"/> as <paramref name="format"/> and writes the JSON lines.</summary>
    public static Task<int> RunAsync(string format, TextReader input, TextWriter output, TextWriter error) =>
        RunAsync(format, input, output, error, repoRoot: null);

    /// <inheritdoc cref="RunAsync(string, TextReader, TextWriter, TextWriter)"/>
    /// <param name="repoRoot">When set, absolute paths under it are printed relative to it.</param>
    public static async Task<int> RunAsync(
        string format,
        TextReader input,
        TextWriter output,
        TextWriter error,
        string? repoRoot,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!OutputFormats.IsKnown(format))
        {
            return await UnknownFormatAsync(format, error);
        }

        string text;
        try
        {
            text = await input.ReadToEndAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"lint-output: cannot read input: {ex.Message}");
            return ExitUsage;
        }

        // Fixes given as character ranges are read against the files: under the repository root, else where the command runs.
        var result = OutputParsers.Parse(format, text, repoRoot, repoRoot ?? Environment.CurrentDirectory);
        foreach (var finding in result.Findings)
        {
            await output.WriteLineAsync(ToJson(finding));
        }

        foreach (var line in result.Unexpected)
        {
            await output.WriteLineAsync(ToJson(line));
        }

        await output.FlushAsync(cancellationToken);
        return ExitOk;
    }

    private static async Task<int> UnknownFormatAsync(string? format, TextWriter error)
    {
        await error.WriteLineAsync($"lint-output: unknown format '{format}'; expected one of: {string.Join(", ", OutputFormats.All)}.");
        return ExitUsage;
    }

    internal static string ToJson(Finding finding) => Write(writer =>
    {
        writer.WriteString("file", finding.File);
        writer.WriteNumber("line", finding.Line);
        WriteNullableNumber(writer, "column", finding.Column);
        WriteNullableNumber(writer, "endLine", finding.EndLine);
        writer.WriteString("severity", finding.Severity switch
        {
            Severity.Error => "error",
            Severity.Warning => "warning",
            _ => "info",
        });
        writer.WriteString("rule", finding.Rule);
        writer.WriteString("message", finding.Message);
        if (finding.Fix is { } fix)
        {
            writer.WriteStartObject("fix");
            writer.WriteNumber("startLine", fix.StartLine);
            writer.WriteNumber("endLine", fix.EndLine);
            writer.WriteString("text", fix.Text);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("fix");
        }
    });

    internal static string ToJson(string unexpectedLine) => Write(writer => writer.WriteString("unexpected", unexpectedLine));

    private static void WriteNullableNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
