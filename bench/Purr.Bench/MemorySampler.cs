namespace Purr.Bench;

/// <summary>
/// Peak working set and managed heap (garbage included: <c>GC.GetTotalMemory(false)</c>) of this process, sampled every
/// 20 ms on a background thread from construction until <see cref="Stop"/>, and once more at each end.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _workingSet, _heap;

    public MemorySampler()
    {
        Sample();
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(20);
            }
        }) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    public long PeakWorkingSet => Interlocked.Read(ref _workingSet);
    public long PeakHeap => Interlocked.Read(ref _heap);

    private void Sample()
    {
        Max(ref _workingSet, Environment.WorkingSet);
        Max(ref _heap, GC.GetTotalMemory(false));
    }

    private static void Max(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen) { }
    }

    /// <summary>Stops sampling (idempotent) and returns the peaks.</summary>
    public (long WorkingSet, long Heap) Stop()
    {
        if (!_stop)
        {
            _stop = true;
            _thread.Join();
            Sample();
        }
        return (PeakWorkingSet, PeakHeap);
    }

    public void Dispose() => Stop();
}
