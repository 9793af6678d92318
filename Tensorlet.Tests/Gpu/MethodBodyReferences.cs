using System.Reflection;
using System.Reflection.Emit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// The methods a method body refers to, read from its IL: which delegates it makes (<c>ldftn</c>) and which methods it
/// calls. Enough of an IL decoder to walk the instruction stream (operand sizes come from <see cref="OpCodes"/>).
/// </summary>
public static class MethodBodyReferences
{
    private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(c => c.Value);

    /// <summary>Every (opcode, method) pair in the body of <paramref name="method"/> whose operand is a method.</summary>
    public static IEnumerable<(OpCode Code, MethodBase Target)> Of(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il == null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            var code = Codes[value];
            at += code.Size;
            if (code.OperandType == OperandType.InlineMethod)
            {
                int token = BitConverter.ToInt32(il, at);
                var target = method.Module.ResolveMethod(token, typeArgs, methodArgs);
                if (target != null) yield return (code, target);
            }
            at += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
        }
    }
}
