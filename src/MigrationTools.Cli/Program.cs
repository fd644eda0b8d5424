using System.Runtime.InteropServices;
using MigrationTools.Cli;

// The first Ctrl+C (or SIGTERM) cancels the command's token: the engine stops where it is safe to, and rolls a switch
// back before the command returns. A second one ends the process at once, which may leave a phase half-done; the
// phase's record says so, and running the phase again continues it.
using var cancellation = new CancellationTokenSource();
var interrupts = 0;

bool Interrupt()
{
    if (Interlocked.Increment(ref interrupts) > 1)
    {
        return false;
    }

    Console.Error.WriteLine();
    Console.Error.WriteLine("Interrupted: stopping safely (a switch is rolled back first). Press Ctrl+C again to quit at once.");
    cancellation.Cancel();
    return true;
}

Console.CancelKeyPress += (_, e) => e.Cancel = Interrupt();
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = Interrupt());

return await new CliApplication(CliConsole.FromSystem()).RunAsync(args, cancellation.Token).ConfigureAwait(false);
