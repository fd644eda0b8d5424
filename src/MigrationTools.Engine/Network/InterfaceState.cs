namespace MigrationTools.Engine.Network;

/// <summary>The state of the interface a service address lives on, as its host reports it.</summary>
public enum InterfaceState
{
    /// <summary>The host has no interface of that name.</summary>
    Missing,

    /// <summary>The interface exists but is administratively down or has no carrier: an address on it is not reached.</summary>
    Down,

    /// <summary>The interface is up.</summary>
    Up,
}
