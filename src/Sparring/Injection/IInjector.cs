namespace Sparring.Injection;

/// <summary>
/// An injector: up to <c>count</c> valid bug artifacts, one folder each under the output directory, and the yields of
/// its strategies (the report's <see cref="InjectionReport.Artifacts"/> names the folders written).
/// <see cref="ProceduralInjector"/> and <see cref="InjectorAgent"/> are the two implementations.
/// </summary>
public interface IInjector
{
    Task<InjectionReport> InjectAsync(InjectionContext context, int count, string outputDirectory, CancellationToken cancellationToken = default);
}
