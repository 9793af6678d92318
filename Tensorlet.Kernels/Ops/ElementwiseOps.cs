using System.Reflection;

namespace Tensorlet.Kernels.Ops;

/// <summary>A unary op found by <see cref="ElementwiseOps"/>, callable without naming its type at compile time.</summary>
/// <param name="Type">The op struct.</param>
/// <param name="Run">Runs the op on a backend: (backend, src, dst, α, β).</param>
/// <param name="Reference">The scalar form in double precision: (x, α, β).</param>
public sealed record UnaryOpInfo(Type Type, UnaryOpInfo.Runner Run, Func<double, double, double, double> Reference)
{
    /// <summary>Calls <see cref="IBackend.Unary{TOp}"/> for this op.</summary>
    public delegate void Runner(IBackend backend, in StridedView src, in StridedView dst, float alpha, float beta);

    /// <summary>The struct's name ("Sigmoid").</summary>
    public string Name => Type.Name;

    public override string ToString() => Name;
}

/// <summary>A binary op found by <see cref="ElementwiseOps"/>, callable without naming its type at compile time.</summary>
/// <param name="Type">The op struct.</param>
/// <param name="Run">Runs the op on a backend: (backend, a, b, dst, α, β).</param>
/// <param name="Reference">The scalar form in double precision: (a, b, α, β).</param>
public sealed record BinaryOpInfo(Type Type, BinaryOpInfo.Runner Run, Func<double, double, double, double, double> Reference)
{
    /// <summary>Calls <see cref="IBackend.Binary{TOp}"/> for this op.</summary>
    public delegate void Runner(IBackend backend, in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta);

    /// <summary>The struct's name ("ReluBackward").</summary>
    public string Name => Type.Name;

    public override string ToString() => Name;
}

/// <summary>
/// Every element-wise op defined in this assembly, found by reflection, so that whatever must cover all ops (the GPU
/// compile catalog, self-tests, conformance tests) picks up a new op without a list to edit.
/// </summary>
public static class ElementwiseOps
{
    /// <summary>The <see cref="IUnaryOp{TSelf}"/> structs, by name.</summary>
    public static IReadOnlyList<UnaryOpInfo> Unary { get; } =
        [.. Implementing(typeof(IUnaryOp<>)).Select(t => (UnaryOpInfo)Describe(nameof(DescribeUnary), t))];

    /// <summary>The <see cref="IBinaryOp{TSelf}"/> structs, by name.</summary>
    public static IReadOnlyList<BinaryOpInfo> Binary { get; } =
        [.. Implementing(typeof(IBinaryOp<>)).Select(t => (BinaryOpInfo)Describe(nameof(DescribeBinary), t))];

    /// <summary>Structs of this assembly that implement <paramref name="generic"/> over themselves, by name.</summary>
    private static IEnumerable<Type> Implementing(Type generic) =>
        typeof(ElementwiseOps).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static object Describe(string factory, Type op) =>
        typeof(ElementwiseOps).GetMethod(factory, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(op).Invoke(null, null)!;

    private static UnaryOpInfo DescribeUnary<TOp>() where TOp : struct, IUnaryOp<TOp> =>
        new(typeof(TOp), (IBackend backend, in StridedView src, in StridedView dst, float alpha, float beta) =>
                backend.Unary<TOp>(src, dst, alpha, beta),
            (x, alpha, beta) => TOp.Apply(x, alpha, beta));

    private static BinaryOpInfo DescribeBinary<TOp>() where TOp : struct, IBinaryOp<TOp> =>
        new(typeof(TOp), (IBackend backend, in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta) =>
                backend.Binary<TOp>(a, b, dst, alpha, beta),
            (a, b, alpha, beta) => TOp.Apply(a, b, alpha, beta));
}
