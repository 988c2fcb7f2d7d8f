using System.Text.RegularExpressions;
using ReviewBot.Functions.Trust;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

// The trust: section (top level, repos.<org>, repos.<org/repo>; Trust/TrustPolicy.cs). Same rules as the rest of the
// reader: every error with its position, keep going after one.
internal sealed partial class ConfigReader
{
    private static readonly string[] TrustKeys = ["forks", "untrusted", "okToTest", "label", "nodeLabels"];

    /// <summary>GitHub's longest label name.</summary>
    private const int MaxLabelLength = 50;

    private TrustSpec ReadTrust(YamlNode node, string path)
    {
        ForkPolicy? forks = null;
        UntrustedPolicy? untrusted = null;
        string? okToTest = null, label = null;
        NodeLabelsSpec? nodeLabels = null;
        foreach (var (key, keyNode, value) in Entries(node, path, "trust settings (forks, untrusted, okToTest, label, nodeLabels)"))
        {
            var fieldPath = $"{path}.{key}";
            switch (key)
            {
                case "forks":
                    if (ReadScalar(value, fieldPath) is { } f)
                        forks = TrustPolicy.TryParse(f, out ForkPolicy fp) ? fp
                            : Report<ForkPolicy?>(value, fieldPath, $"unknown value '{f}' (expected one of: {string.Join(", ", TrustPolicy.ForkNames)})");
                    break;
                case "untrusted":
                    if (ReadScalar(value, fieldPath) is { } u)
                        untrusted = TrustPolicy.TryParse(u, out UntrustedPolicy up) ? up
                            : Report<UntrustedPolicy?>(value, fieldPath, $"unknown value '{u}' (expected one of: {string.Join(", ", TrustPolicy.UntrustedNames)})");
                    break;
                case "okToTest": okToTest = ReadCommandWord(value, fieldPath); break;
                case "label": label = ReadLabel(value, fieldPath); break;
                case "nodeLabels": nodeLabels = ReadNodeLabels(value, fieldPath); break;
                default: UnknownKey(keyNode, key, fieldPath, "trust setting", TrustKeys); break;
            }
        }

        return new TrustSpec(forks, untrusted, okToTest, label, nodeLabels);
    }

    /// <summary>A comment command: '/', then letters, digits, '-' or '_' (it must stand alone on a line of the comment).</summary>
    private string? ReadCommandWord(YamlNode node, string path) =>
        ReadScalar(node, path) is not { } text ? null
        : CommandWord().IsMatch(text) ? text
        : Report<string>(node, path, $"'{text}' is not a command; write '/' and a word of letters, digits, '-' or '_' (at most 50), e.g. \"/ok-to-test\"");

    /// <summary>A label name (GitHub: at most 50 characters); "" means no label approves.</summary>
    private string? ReadLabel(YamlNode node, string path)
    {
        if (ReadScalar(node, path) is not { } text) return null;
        var name = text.Trim();
        return name.Length > MaxLabelLength || name.Any(char.IsControl)
            ? Report<string>(node, path, $"a label name has at most {MaxLabelLength} characters and no control characters")
            : name;
    }

    [GeneratedRegex(@"^/[A-Za-z0-9][A-Za-z0-9_-]{0,48}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandWord();
}
