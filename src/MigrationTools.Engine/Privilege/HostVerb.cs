using System;
using System.Collections.Generic;

namespace MigrationTools.Engine.Privilege;

/// <summary>
/// One operation the host helper runs as root: its name (the helper's first argument, and the word a sudoers rule
/// names), the <c>sh</c> function body that refuses any argument list the engine would not send, and what then runs:
/// a program's fixed leading words followed by the arguments, or one of the engine's own scripts.
/// </summary>
internal sealed class HostVerb
{
    private HostVerb(string name, string summary, IReadOnlyList<string>? program, string? script, string check, bool takesArguments, bool mayTakeNone = false)
    {
        MayTakeNoArguments = !takesArguments || mayTakeNone;
        Name = name;
        Summary = summary;
        Program = program;
        Script = script;
        Check = check;
        TakesArguments = takesArguments;
    }

    /// <summary>The verb: lowercase words joined by '-'.</summary>
    public string Name { get; }

    /// <summary>What it does and allows, for the helper's listing.</summary>
    public string Summary { get; }

    /// <summary>The program and its fixed leading words (<c>zfs send</c>), or null for a script verb.</summary>
    public IReadOnlyList<string>? Program { get; }

    /// <summary>The engine's script the verb runs as <c>sh -c script sh args…</c>, or null for a program verb.</summary>
    public string? Script { get; }

    /// <summary>The body of the <c>sh</c> function that checks the verb's arguments (<c>"$@"</c>) and calls <c>refuse</c>.</summary>
    public string Check { get; }

    /// <summary>False when the program runs with no argument at all after its fixed words.</summary>
    public bool TakesArguments { get; }

    /// <summary>
    /// True when the engine may send the verb with no argument: a sudoers <c>*</c> matches no empty argument list,
    /// so such a verb needs a rule for <c>""</c> too.
    /// </summary>
    public bool MayTakeNoArguments { get; }

    /// <summary>The <c>sh</c> function name of <see cref="Check"/>.</summary>
    public string CheckFunction => "check_" + Name.Replace('-', '_');

    /// <summary>The <c>sh</c> variable holding <see cref="Script"/>.</summary>
    public string ScriptVariable => "script_" + Name.Replace('-', '_');

    /// <summary>A verb that runs <paramref name="program"/> with the checked arguments appended.</summary>
    public static HostVerb ForProgram(string name, string summary, string check, params string[] program) =>
        new(name, summary, program ?? throw new ArgumentNullException(nameof(program)), null, check, takesArguments: true);

    /// <summary>A verb that runs <paramref name="program"/> with the checked arguments appended, which may be none.</summary>
    public static HostVerb ForProgramWithOptionalArguments(string name, string summary, string check, params string[] program) =>
        new(name, summary, program ?? throw new ArgumentNullException(nameof(program)), null, check, takesArguments: true, mayTakeNone: true);

    /// <summary>A verb that runs <paramref name="program"/> exactly, with no further argument.</summary>
    public static HostVerb ForBareProgram(string name, string summary, params string[] program) =>
        new(name, summary, program ?? throw new ArgumentNullException(nameof(program)), null, "[ $# -eq 0 ] || refuse \"takes no arguments\"", takesArguments: false);

    /// <summary>A verb that runs the engine's <paramref name="script"/> with no argument.</summary>
    public static HostVerb ForBareScript(string name, string summary, string script) =>
        new(name, summary, null, script ?? throw new ArgumentNullException(nameof(script)), "[ $# -eq 0 ] || refuse \"takes no arguments\"", takesArguments: false);

    /// <summary>A verb that runs the engine's <paramref name="script"/> with the checked arguments as its <c>$1…</c>.</summary>
    public static HostVerb ForScript(string name, string summary, string check, string script) =>
        new(name, summary, null, script ?? throw new ArgumentNullException(nameof(script)), check, takesArguments: true);
}
