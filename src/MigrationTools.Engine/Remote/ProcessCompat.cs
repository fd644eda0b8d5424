using System;
using System.Collections.ObjectModel;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Process features that every runtime hosting the engine on .NET (Core) has but that netstandard2.0
/// does not declare: an argument list passed word by word, and killing a process with its descendants.
/// </summary>
internal static class ProcessCompat
{
    private static readonly PropertyInfo? ArgumentListProperty =
        typeof(ProcessStartInfo).GetProperty("ArgumentList", typeof(Collection<string>));

    private static readonly MethodInfo? KillTreeMethod =
        typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

    /// <summary>
    /// Hands each argument to the program as one word. Where the runtime has no argument list
    /// (.NET Framework) arguments are refused rather than flattened into a command line that would need
    /// a second, platform-specific quoting scheme.
    /// </summary>
    public static void SetArguments(ProcessStartInfo startInfo, IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            return;
        }

        if (ArgumentListProperty?.GetValue(startInfo) is not Collection<string> list)
        {
            throw new PlatformNotSupportedException(
                "This runtime cannot pass an argument list to a program (ProcessStartInfo.ArgumentList is missing, as on .NET Framework). " +
                "Run MigrationTools on PowerShell 7 or later (.NET 6+).");
        }

        foreach (var argument in arguments)
        {
            list.Add(argument);
        }
    }

    /// <summary>Kills the process and, where the runtime can, its descendants. Quiet if it already ended.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (KillTreeMethod is not null)
            {
                KillTreeMethod.Invoke(process, new object[] { true });
            }
            else
            {
                process.Kill();
            }
        }
        catch (TargetInvocationException)
        {
            // The process ended between the check and the kill; there is nothing left to kill.
        }
        catch (InvalidOperationException)
        {
            // Already exited, or never started.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The process is exiting and can no longer be signalled.
        }
    }
}
