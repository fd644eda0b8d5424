using System;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// A workload rule forbids what was asked, in the workload's present state; nothing was changed. The message says
/// what is wrong and what to do; <see cref="Refusal"/> says which rule, so each front end reports it its own way.
/// </summary>
public sealed class WorkloadRefusedException : InvalidOperationException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public WorkloadRefusedException()
        : this("The workload's state forbids this.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public WorkloadRefusedException(string message)
        : base(message)
    {
        Host = "";
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public WorkloadRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Host = "";
    }

    /// <summary>Creates the exception for one workload.</summary>
    /// <param name="refusal">The rule.</param>
    /// <param name="host">The host, as its connection names it.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="status">Its state when it was refused, when known.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WorkloadRefusedException(
        WorkloadRefusal refusal, string host, WorkloadName workload, WorkloadStatus? status, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Refusal = refusal;
        Host = host ?? throw new ArgumentNullException(nameof(host));
        Workload = workload ?? throw new ArgumentNullException(nameof(workload));
        Status = status;
    }

    /// <summary>The rule that refused.</summary>
    public WorkloadRefusal Refusal { get; }

    /// <summary>The host.</summary>
    public string Host { get; }

    /// <summary>The workload; <see langword="null"/> only from the general constructors.</summary>
    public WorkloadName? Workload { get; }

    /// <summary>The workload's state when refused, when it was read.</summary>
    public WorkloadStatus? Status { get; }
}
