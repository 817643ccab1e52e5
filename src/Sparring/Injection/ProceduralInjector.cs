using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Injection;

/// <summary>
/// The procedural <see cref="IInjector"/>: an <see cref="Injector"/> over the four strategies (removal, mutation,
/// history, and combine of the parts the others left), with no model.
/// </summary>
public sealed class ProceduralInjector(ISandboxProvider sandboxes, TimeProvider? time = null) : IInjector
{
    /// <summary>Seed of every strategy: the same seed gives the same artifacts.</summary>
    public int Seed { get; init; }

    public int MaxCandidatesPerStrategy { get; init; } = new InjectorOptions { OutputDirectory = "." }.MaxCandidatesPerStrategy;

    public BaselineRequirements Baseline { get; init; } = new();

    public Action<string>? OnProgress { get; init; }

    public async Task<InjectionReport> InjectAsync(InjectionContext context, int count, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new InjectorOptions
        {
            Count = count,
            Seed = Seed,
            OutputDirectory = outputDirectory,
            MaxCandidatesPerStrategy = MaxCandidatesPerStrategy,
            Baseline = Baseline,
        }.Validate();
        var injector = new Injector(sandboxes, options, time) { OnProgress = OnProgress };
        IBugStrategy[] strategies = [new RemovalStrategy(), new MutationStrategy(), new HistoryStrategy(), new CombineStrategy(() => injector.Components)];
        return await injector.RunAsync(context, strategies, cancellationToken).ConfigureAwait(false);
    }
}
