namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// One packed B block shared by the threads of a GEMM whose C is split by rows: every part walks the same (jc, pc)
/// blocks, packs its own share of the block's NR-column micro-panels, waits for the others, then multiplies its rows by
/// the whole block. So B is packed once in all instead of once per thread, and no thread waits on a serial packing phase.
/// Two blocks alternate, so one barrier per block suffices: a part can start packing block i + 1 while another still
/// multiplies by block i, but not block i + 2 before everyone has passed barrier i + 1, that is, finished with block i.
/// The packed bits are the same whoever packs them, so results stay those of the unshared path.
/// </summary>
internal sealed unsafe class SharedPackB
{
    private readonly float* _buffer;
    private readonly long _blockFloats;
    private readonly int _parts;
    private int _arrived;
    private volatile int _phase;

    /// <param name="buffer">Room for two blocks of <paramref name="blockFloats"/> floats, alive for the whole call.</param>
    public SharedPackB(float* buffer, long blockFloats, int parts)
    {
        _buffer = buffer;
        _blockFloats = blockFloats;
        _parts = parts;
    }

    public int Parts => _parts;

    /// <summary>Where block number <paramref name="block"/> (counted from 0 in loop order) is packed.</summary>
    public float* Block(int block) => _buffer + (block & 1) * _blockFloats;

    /// <summary>Returns once every part has called it for this block (a sense-reversing barrier).</summary>
    public void Wait()
    {
        int phase = _phase;
        if (Interlocked.Increment(ref _arrived) == _parts)
        {
            _arrived = 0;
            _phase = phase + 1;
            return;
        }
        // Parts run on their own cores (the caller checked), so the wait is short; yield rather than sleep when not.
        var spin = new SpinWait();
        while (_phase == phase) spin.SpinOnce(sleep1Threshold: -1);
    }
}
