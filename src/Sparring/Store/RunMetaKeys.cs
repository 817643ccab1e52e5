namespace Sparring.Store;

/// <summary>The keys of a run's <c>meta</c> table that readers of the run (exports, the report) rely on.</summary>
public static class RunMetaKeys
{
    /// <summary>The repository's absolute path at the run's first start.</summary>
    public const string Repository = "repository";

    /// <summary>The commit the run plays on.</summary>
    public const string Commit = "commit";

    /// <summary>The policy version of the model that played (the trainer's update counter; 0 when not given).</summary>
    public const string PolicyVersion = "policyVersion";

    /// <summary>The model name when a role was played by a model.</summary>
    public const string Model = "model";

    /// <summary><c>search</c> or <c>llm</c>.</summary>
    public const string Solver = "solver";

    /// <summary><c>procedural</c>, <c>llm</c> or <c>mix</c>.</summary>
    public const string Injector = "injector";
}
