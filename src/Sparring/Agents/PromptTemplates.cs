namespace Sparring.Agents;

/// <summary>
/// The prompt templates (<c>Prompts/*.md</c>, embedded): <c>solver</c>, <c>test-writer</c>, <c>agent-system</c>,
/// <c>injector-removal</c>, <c>injector-history</c>. <c>{{name}}</c> placeholders are replaced by values;
/// a file of the same name in an override directory replaces the embedded template.
/// </summary>
public static class PromptTemplates
{
    public const string Solver = "solver";
    public const string TestWriter = "test-writer";
    public const string AgentSystem = "agent-system";
    public const string InjectorRemoval = "injector-removal";
    public const string InjectorHistory = "injector-history";

    /// <summary>The template text: <paramref name="overrideDirectory"/>/<c>NAME.md</c> when it exists, else the embedded one.</summary>
    /// <exception cref="ArgumentException">No template has that name.</exception>
    public static string Load(string name, string? overrideDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (overrideDirectory is not null && File.Exists(Path.Combine(overrideDirectory, name + ".md")))
        {
            return File.ReadAllText(Path.Combine(overrideDirectory, name + ".md"));
        }

        using var stream = typeof(PromptTemplates).Assembly.GetManifestResourceStream($"Sparring.Agents.Prompts.{name}.md")
            ?? throw new ArgumentException($"no prompt template named '{name}'", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Loads and fills a template.</summary>
    public static string Render(string name, IReadOnlyDictionary<string, string> values, string? overrideDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = Load(name, overrideDirectory);
        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
