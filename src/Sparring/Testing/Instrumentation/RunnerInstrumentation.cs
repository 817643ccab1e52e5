namespace Sparring.Testing.Instrumentation;

/// <summary>What the pytest and Go instrumentations share: when they apply, and how they add to the run environment.</summary>
internal static class RunnerInstrumentation
{
    /// <summary>
    /// Whether the environment's runner is <paramref name="runner"/> or the script names <paramref name="command"/>:
    /// an artifact's own script may run the tool in a repository detected as something else.
    /// </summary>
    public static bool Applies(PreparedEnvironment environment, string testScript, string runner, string command)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(testScript);
        return environment.Plan.Runner == runner || testScript.Contains(command, StringComparison.Ordinal);
    }

    /// <summary>A variable as the run would see it: the run environment's value over the recipe's, or null.</summary>
    public static string? Variable(PreparedEnvironment environment, string name)
    {
        var recipe = environment.Plan.Recipe;
        return recipe.RunEnvironment.GetValueOrDefault(name) ?? recipe.Environment.GetValueOrDefault(name);
    }

    /// <summary>The environment whose run environment also holds <paramref name="variables"/>, set in order over what it had.</summary>
    public static PreparedEnvironment With(PreparedEnvironment environment, params ReadOnlySpan<(string Name, string Value)> variables)
    {
        var recipe = environment.Plan.Recipe;
        var run = new Dictionary<string, string>(recipe.RunEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            run[name] = value;
        }

        return environment with { Plan = environment.Plan with { Recipe = recipe with { RunEnvironment = run } } };
    }
}
