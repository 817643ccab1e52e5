using System.Collections.Concurrent;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// Starts sandbox processes from one thread that lives as long as we do. bwrap's <c>--die-with-parent</c>
/// (PR_SET_PDEATHSIG) fires when the <em>thread</em> that forked it exits, not the process, so a command
/// started from a pool thread was SIGKILLed (exit 137) whenever that thread retired.
/// </summary>
internal static class LauncherThread
{
    private static readonly BlockingCollection<Action> Work = StartThread();

    /// <summary>
    /// Runs <paramref name="start"/> on the launcher thread up to its first incomplete await (which is
    /// where the process is forked); the rest continues on the thread pool.
    /// </summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> start)
    {
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try
            {
                started.SetResult(start());
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        });
        return started.Task.Unwrap();
    }

    private static BlockingCollection<Action> StartThread()
    {
        var work = new BlockingCollection<Action>();
        var thread = new Thread(() =>
        {
            foreach (var item in work.GetConsumingEnumerable())
            {
                item();
            }
        })
        {
            IsBackground = true,
            Name = "sparring-sandbox-launcher",
        };
        thread.Start();
        return work;
    }
}
