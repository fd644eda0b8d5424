namespace MigrationTools.Engine.Transfer;

/// <summary>Which way a stream travels from the source host to the target host.</summary>
public enum TransferPath
{
    /// <summary>Source to controller to target: needs no trust between the hosts.</summary>
    Relay,

    /// <summary>
    /// The source pipes straight into ssh to the target; the controller only orchestrates and the data never
    /// crosses it. Needs the source to be able to ssh to the target (keys and known_hosts on the source).
    /// </summary>
    Direct,
}
