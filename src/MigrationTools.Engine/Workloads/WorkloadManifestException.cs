using System;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// A workload manifest is malformed. The message names the file, the place in the JSON document
/// (<see cref="JsonPath"/>, such as <c>$.healthCheck.tcpPort</c>) and the fault.
/// </summary>
public sealed class WorkloadManifestException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public WorkloadManifestException()
        : this("A workload manifest is malformed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public WorkloadManifestException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WorkloadManifestException(string message, Exception? innerException)
        : base(message, innerException)
    {
        JsonPath = "$";
        Fault = message;
    }

    /// <summary>Creates the exception for a fault at one place in one manifest.</summary>
    /// <param name="file">The manifest's file, or <see langword="null"/> when it was read from elsewhere.</param>
    /// <param name="jsonPath">Where in the document, such as <c>$.command[0]</c>; <c>$</c> for the whole document.</param>
    /// <param name="fault">What is wrong there and how to fix it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WorkloadManifestException(string? file, string jsonPath, string fault, Exception? innerException = null)
        : base($"{file ?? "The workload manifest"}: {jsonPath}: {fault}", innerException)
    {
        File = file;
        JsonPath = jsonPath ?? "$";
        Fault = fault ?? "";
    }

    /// <summary>The manifest's file, when known.</summary>
    public string? File { get; }

    /// <summary>Where in the document the fault is, as a JSON path such as <c>$.environment.PORT</c>.</summary>
    public string JsonPath { get; }

    /// <summary>The fault alone, without the file and path.</summary>
    public string Fault { get; }
}
