namespace Tensorlet.Kernels;

/// <summary>
/// Element-wise maps y = f(x; α, β). The scalar parameters α, β are used only where noted.
/// The list is the whole surface a backend must implement for unary ops (tinygrad-style: few, orthogonal).
/// </summary>
public enum UnaryOp
{
    /// <summary>y = x (a copy).</summary>
    Identity,
    Neg,
    Exp,
    /// <summary>Natural log; log(0) = −∞, log(x&lt;0) = NaN as in IEEE.</summary>
    Log,
    Sqrt,
    Abs,
    /// <summary>y = max(x, 0).</summary>
    Relu,
    /// <summary>y = x if x &gt; 0 else α·x.</summary>
    LeakyRelu,
    /// <summary>y = 1 / (1 + e^(−x)), stable for large |x|.</summary>
    Sigmoid,
    Tanh,
    /// <summary>y = min(max(x, α), β).</summary>
    Clamp,
    /// <summary>y = x^α.</summary>
    PowScalar,
    /// <summary>y = x + α.</summary>
    AddScalar,
    /// <summary>y = α·x.</summary>
    MulScalar,
    /// <summary>y = α·x + β.</summary>
    Affine,
    /// <summary>y = 1 if x &gt; 0, −1 if x &lt; 0, 0 otherwise.</summary>
    Sign,
    /// <summary>y = 1 / x.</summary>
    Reciprocal,
}

/// <summary>
/// Element-wise z = f(a, b; α, β) over two arrays of the same (already broadcast) shape. The
/// <c>...Backward</c> entries fuse a gradient rule so backward passes need one kernel, not three:
/// <c>a</c> is the upstream gradient, <c>b</c> the saved input or output named in each entry.
/// </summary>
public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    /// <summary>z = a^b.</summary>
    Pow,
    Maximum,
    Minimum,
    /// <summary>z = a + α·b (axpy).</summary>
    AddScaled,
    /// <summary>z = 1 if a == b else 0.</summary>
    Equal,
    /// <summary>z = 1 if a &gt; b else 0.</summary>
    Greater,
    /// <summary>z = a if b (the input x) &gt; 0 else 0; relu'(0) = 0.</summary>
    ReluBackward,
    /// <summary>z = a if b (the input x) &gt; 0 else α·a; leaky_relu'(0) = α.</summary>
    LeakyReluBackward,
    /// <summary>z = a·b·(1 − b), b the sigmoid output.</summary>
    SigmoidBackward,
    /// <summary>z = a·(1 − b²), b the tanh output.</summary>
    TanhBackward,
    /// <summary>z = a if α ≤ b ≤ β else 0, b the clamp input.</summary>
    ClampBackward,
}

/// <summary>Reductions over the middle axis of a contiguous [outer, axis, inner] array.</summary>
public enum ReduceOp
{
    /// <summary>Σ, times the scale argument (1 for a sum, 1/axis for a mean).</summary>
    Sum,
    Max,
    Min,
    /// <summary>Index (as a float) of the first maximum.</summary>
    ArgMax,
    /// <summary>Index (as a float) of the first minimum.</summary>
    ArgMin,
}
