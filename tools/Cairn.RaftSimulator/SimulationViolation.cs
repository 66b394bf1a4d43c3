namespace Cairn.Raft.Simulation;

/// <summary>A broken safety or liveness property, found by the simulator's checks.</summary>
internal sealed class SimulationViolation : Exception
{
    public SimulationViolation(string property, string details)
        : base($"{property} violated: {details}")
    {
        Property = property;
    }

    /// <summary>The property's short name, for example "election safety".</summary>
    public string Property { get; }
}
