using System.Management.Automation;
using System.Reflection;
using MigrationTools.Commands;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// The module's one table of names for the engine's workload fields: every field the engine can blame has a
/// parameter, and that parameter is one the cmdlets really take.
/// </summary>
public sealed class WorkloadFieldParametersTests
{
    [Fact]
    public void EveryPathFieldHasAParameter()
    {
        Assert.Equal(Enum.GetValues<WorkloadPathField>().Order(), WorkloadFieldParameters.Paths.Keys.Order());
    }

    [Fact]
    public void EveryManifestFieldHasAParameter()
    {
        Assert.Equal(Enum.GetValues<WorkloadManifestField>().Order(), WorkloadFieldParameters.Manifest.Keys.Order());
    }

    [Fact]
    public void EveryCmdletThatReachesHostsTakesBothPathParameters()
    {
        var remote = typeof(RemoteCmdlet).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null && typeof(RemoteCmdlet).IsAssignableFrom(t))
            .ToArray();

        Assert.Equal(13, remote.Length);
        Assert.All(remote, cmdlet => Assert.All(WorkloadFieldParameters.Paths.Values, parameter => Assert.True(IsParameter(cmdlet, parameter), $"{cmdlet.Name} has no -{parameter}.")));
    }

    [Fact]
    public void EveryManifestParameterIsAParameterOfRegisterWorkload()
    {
        Assert.All(WorkloadFieldParameters.Manifest, entry =>
            Assert.True(IsParameter(typeof(RegisterWorkloadCommand), entry.Value), $"{entry.Key} is reported as -{entry.Value}, which Register-Workload does not take."));
    }

    [Fact]
    public void ThePathParametersDefaultToTheEnginesDefaults()
    {
        var cmdlet = new StartWorkloadCommand();

        Assert.Equal((WorkloadPaths.DefaultManifestDirectory, WorkloadPaths.DefaultRuntimeDirectory), (cmdlet.ManifestDirectory, cmdlet.RuntimeDirectory));
    }

    private static bool IsParameter(Type cmdlet, string name) =>
        cmdlet.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetCustomAttributes<ParameterAttribute>().Any() == true;
}
