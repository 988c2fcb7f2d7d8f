using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// The YAML parser's events, refused beyond <see cref="ConfigOptions.MaxNesting"/> levels of mappings and sequences.
/// YamlDotNet builds its node tree recursively: a file nested 30,000 levels deep overflows the stack, which ends the
/// process with no message. Counting here, before any node exists, turns it into a malformed-YAML error at the line
/// and column where the nesting goes too deep.
/// </summary>
internal sealed class NestingLimitedParser(IParser inner, int maxNesting) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext()) return false;
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > maxNesting:
                throw new YamlException(inner.Current.Start, inner.Current.End, $"nested more than {maxNesting} levels deep");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }
        return true;
    }
}
