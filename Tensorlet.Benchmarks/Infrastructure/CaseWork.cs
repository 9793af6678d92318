using System.Reflection;
using BenchmarkDotNet.Running;

namespace Tensorlet.Benchmarks.Infrastructure;

/// <summary>Asks a benchmark case's class (an <see cref="IWorkload"/>) for the work of one operation of that case.</summary>
internal static class CaseWork
{
    /// <summary>The work and the thread count it runs on, or null when the class does not implement <see cref="IWorkload"/>.</summary>
    public static (Work Work, int Threads)? Of(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        if (!typeof(IWorkload).IsAssignableFrom(type)) return null;
        // A fresh instance with the case's [Params] set: WorkPerOperation must compute from parameters alone.
        var instance = (IWorkload)Activator.CreateInstance(type)!;
        int threads = 0;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
            if (type.GetProperty(parameter.Name, Flags) is { CanWrite: true } property) property.SetValue(instance, parameter.Value);
            else type.GetField(parameter.Name, Flags)?.SetValue(instance, parameter.Value);
            if (parameter.Name == "Threads" && parameter.Value is int t) threads = t;
        }
        Work work = instance.WorkPerOperation(benchmarkCase.Descriptor.WorkloadMethod.Name);
        if (work.Threads > 0) threads = work.Threads;
        return (work, threads > 0 ? threads : Environment.ProcessorCount);
    }
}
