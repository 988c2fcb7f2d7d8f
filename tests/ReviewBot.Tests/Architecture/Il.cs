using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace ReviewBot.Tests.Architecture;

/// <summary>One IL instruction: its opcode and its 4-byte operand (a metadata token, a user-string token, an
/// immediate or a branch offset; 0 for other operand sizes, which no check here needs).</summary>
internal readonly record struct Instruction(OpCode Code, int Operand)
{
    /// <summary>The member, type or signature the instruction names, or a nil handle.</summary>
    public EntityHandle Token => Code.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok
        or OperandType.InlineType or OperandType.InlineSig ? MetadataTokens.EntityHandle(Operand) : default;

    /// <summary>The string an <c>ldstr</c> loads, or null.</summary>
    public string? String(MetadataReader reader) =>
        Code.OperandType == OperandType.InlineString ? reader.GetUserString(MetadataTokens.UserStringHandle(Operand)) : null;
}

/// <summary>Decodes a method body into instructions, with the operand sizes of ECMA-335 §III taken from <see cref="OpCodes"/>.</summary>
internal static class Il
{
    private static readonly Dictionary<ushort, OpCode> Codes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(c => (ushort)c.Value);

    public static List<Instruction> Read(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        var instructions = new List<Instruction>();
        while (il.RemainingBytes > 0)
        {
            int value = il.ReadByte();
            if (value == 0xFE) value = 0xFE00 | il.ReadByte(); // two-byte opcodes
            var code = Codes[(ushort)value];
            var operand = 0;
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.ReadByte();
                    break;
                case OperandType.InlineVar:
                    il.ReadInt16();
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.ReadInt64();
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                default: // tokens, strings, int32 and float32 immediates, 4-byte branch targets
                    operand = il.ReadInt32();
                    break;
            }
            instructions.Add(new Instruction(code, operand));
        }
        return instructions;
    }
}
