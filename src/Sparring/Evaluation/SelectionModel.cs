using Microsoft.Extensions.AI;
using Sparring.Agents;

namespace Sparring.Evaluation;

/// <summary>
/// The model the selectors that need one use: the test writer of <c>kimi-dev</c> and <c>hybrid</c> (an agent with the
/// solver's options, <see cref="Tests"/> episodes per instance) and the verifier of <c>hybrid</c>.
/// </summary>
public sealed record SelectionModel(IChatClient Client, AgentRoleOptions Roles, int Tests);
