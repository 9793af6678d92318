namespace Tensorlet.Kernels;

/// <summary>"Unary(Exp)"-style names for error messages, built once so a successful call allocates no string.</summary>
internal static class OpNames
{
    private static readonly string[] Reduce = Names<ReduceOp>("Reduce");

    public static string Of(ReduceOp op) => Pick(Reduce, (int)op, "Reduce", op);

    private static string[] Names<T>(string family) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => $"{family}({v})").ToArray();

    private static string Pick<T>(string[] names, int i, string family, T op) =>
        (uint)i < (uint)names.Length ? names[i] : $"{family}({op})";

}

/// <summary>"Unary(Sigmoid)" or "Binary(ReluBackward)" for an element-wise op struct, made once per op.</summary>
internal static class OpName<TOp> where TOp : struct
{
    public static readonly string Value =
        $"{(typeof(TOp).GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Ops.IUnaryOp<>)) ? "Unary" : "Binary")}({typeof(TOp).Name})";
}
