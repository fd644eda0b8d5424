namespace System.Runtime.CompilerServices;

/// <summary>
/// Lets the compiler emit <c>init</c> accessors (records, immutable option objects) for netstandard2.0,
/// whose class library predates them.
/// </summary>
internal static class IsExternalInit
{
}
