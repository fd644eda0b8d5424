using System;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// A validated workload name, such as <c>web-1</c>. It is used as a dataset component, a file name and a
/// command argument, so it is kept short and plain: 1-64 ASCII letters, digits, <c>_ - .</c>, beginning
/// with a letter or digit.
/// </summary>
public sealed record WorkloadName
{
    /// <summary>The longest workload name accepted.</summary>
    public const int MaxLength = 64;

    private WorkloadName(string value) => Value = value;

    /// <summary>The name.</summary>
    public string Value { get; }

    /// <summary>Validates <paramref name="value"/> as a workload name.</summary>
    /// <param name="value">The name.</param>
    /// <returns>The workload name.</returns>
    /// <exception cref="ArgumentException">The name is invalid; the message says why and what would do.</exception>
    public static WorkloadName Parse(string value)
    {
        var error = Error(value);
        return error is null ? new WorkloadName(value) : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Validates <paramref name="value"/> as a workload name without throwing.</summary>
    /// <param name="value">The name.</param>
    /// <param name="name">The workload name, or <see langword="null"/> when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? value, out WorkloadName? name)
    {
        name = Error(value) is null ? new WorkloadName(value!) : null;
        return name is not null;
    }

    /// <summary>The name.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    private static string? Error(string? value)
    {
        const string Fix = "use 1-64 letters, digits, '_', '-' and '.', beginning with a letter or digit (for example 'web-1')";
        if (value is null || value.Length == 0)
        {
            return $"The workload name is empty; {Fix}.";
        }

        if (value.Length > MaxLength)
        {
            return $"The workload name {SafeText.Show(value)} is {value.Length} characters long; {Fix}.";
        }

        if (!IsLetterOrDigit(value[0]))
        {
            return $"The workload name {SafeText.Show(value)} begins with {SafeText.Describe(value[0])}; {Fix}.";
        }

        foreach (var c in value)
        {
            if (!IsLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return $"The workload name {SafeText.Show(value)} contains {SafeText.Describe(c)}; {Fix}.";
            }
        }

        return null;
    }

    private static bool IsLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
