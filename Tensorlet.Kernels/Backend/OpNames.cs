namespace Tensorlet.Kernels;

/// <summary>"Unary(Exp)"-style names for error messages, built once so a successful call allocates no string.</summary>
internal static class OpNames
{
    private static readonly string[] Unary = Names<UnaryOp>("Unary");
    private static readonly string[] Binary = Names<BinaryOp>("Binary");
    private static readonly string[] Reduce = Names<ReduceOp>("Reduce");

    public static string Of(UnaryOp op) => Pick(Unary, (int)op, "Unary", op);
    public static string Of(BinaryOp op) => Pick(Binary, (int)op, "Binary", op);
    public static string Of(ReduceOp op) => Pick(Reduce, (int)op, "Reduce", op);

    private static string[] Names<T>(string family) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => $"{family}({v})").ToArray();

    private static string Pick<T>(string[] names, int i, string family, T op) =>
        (uint)i < (uint)names.Length ? names[i] : $"{family}({op})";
}
