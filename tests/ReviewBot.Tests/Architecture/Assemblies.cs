using System.Reflection;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Architecture;

/// <summary>The compiled assemblies the architecture tests inspect.</summary>
internal static class Assemblies
{
    public static Assembly Contracts => typeof(IAgentHub).Assembly;
    public static Assembly Core => Assembly.Load("ReviewBot.Core"); // may hold no type the tests could name
    public static Assembly Functions => typeof(ReviewBot.Functions.Program).Assembly;
    public static Assembly Agent => typeof(ReviewBot.Agent.Connection.AgentConnection).Assembly;
}
