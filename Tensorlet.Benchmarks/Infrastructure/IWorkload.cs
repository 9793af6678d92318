namespace Tensorlet.Benchmarks.Infrastructure;

/// <summary>
/// Implemented by a benchmark class to say how much work one operation of a benchmark method does, so
/// <see cref="ThroughputColumn"/> can turn times into GFLOP/s and GB/s. Called on a fresh instance whose
/// [Params] fields and properties are set to the case's values (no [GlobalSetup] has run), so compute the
/// counts from the parameters alone.
/// </summary>
public interface IWorkload
{
    /// <summary>Floating-point operations (a fused multiply-add counts 2) and bytes moved per operation of <paramref name="method"/>.</summary>
    Work WorkPerOperation(string method);
}

/// <summary>
/// Work of one benchmark operation; zero means "not applicable" and leaves the column blank. <paramref name="Threads"/>
/// is how many threads the operation runs on, which picks the ceilings <see cref="PeakFractionColumn"/> compares with;
/// 0 means the case's <c>Threads</c> parameter if it has one, else every core.
/// </summary>
public readonly record struct Work(double Flops, double Bytes, int Threads = 0);
