using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Privilege;

/// <summary>
/// Every operation the engine runs as root on a least-privilege host, and how a command the engine builds maps to
/// one: <c>zfs send …</c> becomes the verb <c>zfs-send</c> with the same arguments, the engine's script
/// <c>sh -c SCRIPT sh args…</c> the verb that runs that script.
/// </summary>
internal static partial class HostVerbs
{
    /// <summary>The verbs, in the order the helper and the sudoers policy list them.</summary>
    public static IReadOnlyList<HostVerb> All { get; } = ZfsVerbs().Concat(CriuVerbs()).Concat(WorkloadVerbs()).ToArray();

    /// <summary>
    /// The engine's scripts that its commands pass as arguments rather than run (a workload's init, the announcer):
    /// the helper holds each as <c>$const_NAME</c> and accepts only that exact text.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Constants { get; } = new[]
    {
        new KeyValuePair<string, string>("init", Workloads.WorkloadRuntime.InitScript),
        new KeyValuePair<string, string>("announce", Network.ServiceAddressScripts.Announce),
        new KeyValuePair<string, string>("neighbour", Network.ServiceAddressScripts.Neighbour),
    };

    /// <summary>The verb named <paramref name="name"/>, or null.</summary>
    public static HostVerb? Find(string name) => All.FirstOrDefault(v => v.Name == name);

    /// <summary>
    /// The helper's arguments (verb first) for one stage of a command the engine built, or null when no verb runs it.
    /// </summary>
    /// <param name="stage">The stage's argument list, program first.</param>
    /// <returns>The verb and the arguments it passes on.</returns>
    public static (HostVerb Verb, IReadOnlyList<string> Arguments)? Match(IReadOnlyList<string> stage)
    {
        if (stage is null)
        {
            throw new ArgumentNullException(nameof(stage));
        }

        if (stage.Count >= 4 && stage[0] == "sh" && stage[1] == "-c" && stage[3] == "sh")
        {
            var script = All.FirstOrDefault(v => v.Script == stage[2]);
            return script is null ? null : (script, stage.Skip(4).ToArray());
        }

        HostVerb? best = null;
        foreach (var verb in All)
        {
            var program = verb.Program;
            if (program is null || program.Count > stage.Count || (!verb.TakesArguments && program.Count != stage.Count))
            {
                continue;
            }

            if (program.Select((word, i) => word == stage[i]).All(same => same) && (best is null || program.Count > best.Program!.Count))
            {
                best = verb;
            }
        }

        return best is null ? null : (best, stage.Skip(best.Program!.Count).ToArray());
    }
}
