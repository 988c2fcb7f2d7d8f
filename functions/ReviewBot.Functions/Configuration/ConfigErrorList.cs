using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

/// <summary>Collects every error of one load, so the user sees them all at once rather than one per restart.</summary>
internal sealed class ConfigErrorList(string file)
{
    private readonly List<ConfigError> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(YamlNode node, string message) => Add(node.Start, message);

    public void Add(Mark at, string message) => _errors.Add(new ConfigError(file, (int)at.Line, (int)at.Column, message));

    /// <summary>The errors in file order (stable for errors at the same position).</summary>
    public ConfigException ToException() =>
        new([.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
}
