using Sparring.Repos;

namespace Sparring.Injection.Code;

/// <summary>One single-site change inside a function: its kind (<c>flip-operator</c>, <c>invert-if</c>, …), the edit, and what it did.</summary>
internal sealed record Mutation(Symbol Symbol, string Kind, Edit Edit, string Description);
