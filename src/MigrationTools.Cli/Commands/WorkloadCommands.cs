using System.CommandLine;
using MigrationTools.Cli.Options;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Cli.Commands;

/// <summary><c>workload list|register|unregister|start|stop</c>: one host's workloads, each verb one engine call.</summary>
internal static class WorkloadCommands
{
    /// <summary>Builds the <c>workload</c> command and its verbs.</summary>
    /// <param name="app">The command line they belong to.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var workload = new Command("workload", "Declare, list, start and stop workloads on a host.");
        workload.Add(List(app));
        workload.Add(Register(app));
        workload.Add(Unregister(app));
        workload.Add(Start(app));
        workload.Add(Stop(app));
        app.Help.Examples(
            workload,
            "migrationtools workload list h1 h2",
            "migrationtools workload register h1 web -d tank/web --health-port 8080 -- python3 /tank/web/app.py --port 8080",
            "migrationtools workload start h1 web",
            "migrationtools workload register --help              # each verb has its own help and examples");
        return workload;
    }

    private static Command List(CliApplication app)
    {
        var hosts = new Argument<string[]>("host")
        {
            Description = "The hosts to list, as ssh destinations (h1, root@host-a, ssh://admin@host:2222).",
            Arity = ArgumentArity.OneOrMore,
            Validators =
            {
                result =>
                {
                    foreach (var token in result.Tokens)
                    {
                        if (!SshDestination.TryParse(token.Value, out _))
                        {
                            try
                            {
                                SshDestination.Parse(token.Value);
                            }
                            catch (ArgumentException e)
                            {
                                result.AddError("<host>: " + ValueParsers.EngineMessage(e));
                            }
                        }
                    }
                },
            },
        };
        var command = new Command("list", "List the workloads declared on one or more hosts, with their state and the space their datasets use.") { hosts };
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Help.Examples(
            command,
            "migrationtools workload list h1",
            "migrationtools workload list h1 h2 --json | jq -r '.[] | select(.state == \"running\") | .name'",
            "migrationtools workload list root@host-a --key-file ~/.ssh/migration_ed25519");
        app.SetAction(command, async run =>
        {
            var ssh = app.Connection.Read(run.Result);
            var paths = app.Paths.Read(run.Result);
            var names = run.Result.GetValue(hosts)!;
            var listings = await Task.WhenAll(names.Select(async host =>
            {
                try
                {
                    using var connection = new SshConnection(SshDestination.Parse(host), ssh);
                    var service = new WorkloadService(new WorkloadHost(connection, paths));
                    return (Host: host, Listing: await service.ListAsync(run.CancellationToken).ConfigureAwait(false), Error: (Exception?)null);
                }
                catch (Exception e) when (e is RemoteException or WorkloadException)
                {
                    return (Host: host, Listing: (WorkloadHostListing?)null, Error: e);
                }
            })).ConfigureAwait(false);

            var views = listings.Where(l => l.Listing is not null).SelectMany(l => l.Listing!.Workloads.Select(w => WorkloadView.Of(w, paths))).ToList();
            run.Emit<IReadOnlyList<WorkloadView>>(views, writer => HumanText.WriteWorkloads(writer, views));
            var complete = true;
            foreach (var (host, listing, error) in listings)
            {
                if (error is not null)
                {
                    run.Console.Error.WriteLine($"error: {host}: {error.Message}");
                    complete = false;
                }

                foreach (var malformed in listing?.Errors ?? [])
                {
                    run.Console.Error.WriteLine($"error: {host}: {malformed.Message}");
                    complete = false;
                }
            }

            return complete ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }

    private static Command Register(CliApplication app)
    {
        var host = ValueParsers.HostArgument("host", "The host to declare the workload on.");
        var name = ValueParsers.WorkloadArgument("name", "The workload's name: letters, digits, '-', '_' and '.', unique on the host.");
        var argv = new Argument<string[]>("command")
        {
            Description = "The program and its arguments, after '--'; each reaches the program as one word, never through a shell.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var manifestFile = new Option<string?>("--manifest")
        {
            Description = "Read the whole manifest from this JSON file (the format docs/cli.md shows) instead of the options below.",
            HelpName = "file",
        };
        var datasets = new Option<string[]>("--dataset", "-d")
        {
            Description = "A ZFS dataset that moves with the workload (its children move too). Repeatable.",
            HelpName = "pool/name",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var mode = new ChoiceOption<CheckpointMode>(
            "--checkpoint-mode",
            "How its running state moves: criu (live, with its memory) or restart (stopped, then started afresh).",
            [("criu", CheckpointMode.Criu), ("restart", CheckpointMode.Restart)],
            "criu");
        var workingDirectory = new Option<string?>("--working-directory")
        {
            Description = "The directory the command starts in (default /).",
            HelpName = "dir",
        };
        var environment = new Option<string[]>("--env", "-e")
        {
            Description = "An environment variable for the command, NAME=VALUE. Repeatable.",
            HelpName = "name=value",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var healthPort = new Option<int?>("--health-port")
        {
            Description = "Healthy when this TCP port on the host accepts connections.",
            HelpName = "port",
        };
        var healthUrl = new Option<string?>("--health-url")
        {
            Description = "Healthy when this http(s) URL on the host (localhost or a loopback address) answers 2xx.",
            HelpName = "url",
        };
        var healthCommand = new Option<string?>("--health-command")
        {
            Description = "Healthy when this command, run by 'sh -c' on the host, exits 0.",
            HelpName = "command",
        };
        var healthTimeout = ValueParsers.SecondsOption(
            "--health-timeout", "How long the health check may take after a start or restore.",
            HealthCheck.MinTimeoutSeconds, HealthCheck.MaxTimeoutSeconds, HealthCheck.DefaultTimeoutSeconds);
        var policy = new ChoiceOption<MigrationPolicy>(
            "--migration-policy",
            "Who may move it: manual (only with --force), allowed (when a person asks) or automatic.",
            [("manual", MigrationPolicy.Manual), ("allowed", MigrationPolicy.Allowed), ("automatic", MigrationPolicy.Automatic)],
            "allowed");
        var serviceAddresses = new Option<string[]>("--service-address")
        {
            Description = "An address clients reach the workload at, ADDRESS/PREFIX@INTERFACE such as 10.0.0.80/24@eth0: the host that runs it holds it, and it moves with it. Repeatable.",
            HelpName = "address/prefix@interface",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace a different (or unreadable) manifest already declared under the same name.",
        };

        var command = new Command("register", "Declare a workload on a host: what to run, with which datasets, how it moves and how to tell it is healthy.")
        {
            host, name, argv, manifestFile, datasets, mode.Option, workingDirectory, environment, healthPort, healthUrl, healthCommand, healthTimeout, policy.Option,
            serviceAddresses, force,
        };
        command.Validators.Add(result =>
        {
            bool Given(Option option) => result.GetResult(option) is { Implicit: false };
            var checks = new Option[] { healthPort, healthUrl, healthCommand }.Count(Given);
            if (checks > 1)
            {
                result.AddError("Give at most one of --health-port, --health-url and --health-command.");
            }

            var fromFile = Given(manifestFile);
            var fromOptions = (result.GetValue(argv)?.Length ?? 0) > 0;
            if (fromFile && (fromOptions || new Option[] { datasets, mode.Option, workingDirectory, environment, healthTimeout, policy.Option, serviceAddresses }.Any(Given) || checks > 0))
            {
                result.AddError("--manifest gives the whole manifest; leave out the command and the other manifest options, or leave out --manifest.");
            }
            else if (!fromFile && !fromOptions)
            {
                result.AddError("Give the workload's command after '--' (such as -- python3 /tank/web/app.py), or a manifest file with --manifest.");
            }
        });
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Help.Examples(
            command,
            "migrationtools workload register h1 web -d tank/web --health-port 8080 -- python3 /tank/web/app.py --port 8080",
            "migrationtools workload register h1 db -d tank/db --checkpoint-mode restart --migration-policy manual -- /usr/sbin/mydb -c /tank/db/db.conf",
            "migrationtools workload register h1 web -d tank/web --service-address 10.0.0.80/24@eth0 -- python3 /tank/web/app.py --port 8080",
            "migrationtools workload register h1 web --manifest web.json");
        app.SetAction(command, async run =>
        {
            var result = run.Result;
            var hostName = result.GetValue(host)!;
            var workloadName = result.GetValue(name)!;
            var manifest = result.GetValue(manifestFile) is { } file
                ? ReadManifestFile(file, workloadName)
                : Manifest(
                    workloadName, result.GetValue(datasets) ?? [], result.GetValue(argv)!, mode.Read(result), result.GetValue(workingDirectory),
                    result.GetValue(environment) ?? [], result.GetValue(healthPort), result.GetValue(healthUrl), result.GetValue(healthCommand),
                    result.GetValue(healthTimeout), policy.Read(result), result.GetValue(serviceAddresses) ?? []);
            var ssh = app.Connection.Read(result);
            var paths = app.Paths.Read(result);

            using var connection = new SshConnection(SshDestination.Parse(hostName), ssh);
            var workloads = new WorkloadHost(connection, paths);
            var done = await new WorkloadService(workloads).RegisterAsync(manifest, result.GetValue(force), run.CancellationToken).ConfigureAwait(false);
            var view = await DescribeAsync(workloads, manifest.Name, paths, run.CancellationToken).ConfigureAwait(false);
            run.Emit(view, writer =>
            {
                writer.WriteLine(done switch
                {
                    WorkloadRegistration.Unchanged => $"{manifest.Name} was already declared on {hostName} as given ({view.ManifestPath}); nothing changed.",
                    WorkloadRegistration.Replaced => $"Replaced the manifest of {manifest.Name} on {hostName} ({view.ManifestPath}).",
                    _ => $"Declared {manifest.Name} on {hostName} ({view.ManifestPath}).",
                });
                HumanText.WriteWorkloads(writer, [view]);
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Unregister(CliApplication app)
    {
        var host = ValueParsers.HostArgument("host", "The host the workload is declared on.");
        var name = ValueParsers.WorkloadArgument("name", "The workload.");
        var command = new Command("unregister", "Remove a stopped workload's manifest from a host. Its datasets stay.") { host, name };
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Help.Examples(command, "migrationtools workload stop h1 web && migrationtools workload unregister h1 web");
        app.SetAction(command, async run =>
        {
            var hostName = run.Result.GetValue(host)!;
            var workloadName = run.Result.GetValue(name)!;
            var paths = app.Paths.Read(run.Result);
            using var connection = new SshConnection(SshDestination.Parse(hostName), app.Connection.Read(run.Result));
            await new WorkloadService(new WorkloadHost(connection, paths)).UnregisterAsync(workloadName, run.CancellationToken).ConfigureAwait(false);
            var view = new WorkloadUnregisterView(hostName, workloadName.Value, paths.ManifestFile(workloadName));
            run.Emit(view, writer => writer.WriteLine($"Removed {workloadName} from {hostName} ({view.ManifestPath}); its datasets stay."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Start(CliApplication app)
    {
        var host = ValueParsers.HostArgument("host", "The host the workload is declared on.");
        var name = ValueParsers.WorkloadArgument("name", "The workload.");
        var command = new Command("start", "Start a declared workload, detached, in a PID namespace of its own (so it can later be checkpointed).") { host, name };
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Help.Examples(command, "migrationtools workload start h1 web", "migrationtools workload start h1 web --json | jq .processId");
        app.SetAction(command, async run =>
        {
            var hostName = run.Result.GetValue(host)!;
            var workloadName = run.Result.GetValue(name)!;
            var paths = app.Paths.Read(run.Result);
            using var connection = new SshConnection(SshDestination.Parse(hostName), app.Connection.Read(run.Result));
            var workloads = new WorkloadHost(connection, paths);
            var started = await new WorkloadService(workloads).StartAsync(workloadName, run.CancellationToken).ConfigureAwait(false);
            var view = await DescribeAsync(workloads, workloadName, paths, run.CancellationToken).ConfigureAwait(false);
            run.Emit(view, writer => writer.WriteLine(started.Started
                ? $"Started {workloadName} on {hostName} as process {started.Process.Pid}."
                : $"{workloadName} already runs on {hostName} as process {started.Process.Pid}; nothing was started."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Stop(CliApplication app)
    {
        var host = ValueParsers.HostArgument("host", "The host the workload runs on.");
        var name = ValueParsers.WorkloadArgument("name", "The workload.");
        var timeout = ValueParsers.SecondsOption(
            "--timeout", "How long it gets to end after SIGTERM before SIGKILL; 0 kills at once.",
            WorkloadStopTimeout.MinSeconds, WorkloadStopTimeout.MaxSeconds, WorkloadStopTimeout.DefaultSeconds);
        var command = new Command("stop", "Stop a workload: SIGTERM, then SIGKILL to its whole process tree after the timeout. A frozen workload is killed at once.")
        {
            host, name, timeout,
        };
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Help.Examples(command, "migrationtools workload stop h1 web", "migrationtools workload stop h1 web --timeout 0   # SIGKILL at once");
        app.SetAction(command, async run =>
        {
            var hostName = run.Result.GetValue(host)!;
            var workloadName = run.Result.GetValue(name)!;
            var paths = app.Paths.Read(run.Result);
            using var connection = new SshConnection(SshDestination.Parse(hostName), app.Connection.Read(run.Result));
            var stopped = await new WorkloadService(new WorkloadHost(connection, paths))
                .StopAsync(workloadName, run.Result.GetValue(timeout), run.CancellationToken).ConfigureAwait(false);
            var view = new WorkloadStopView(hostName, workloadName.Value, Words.Of(stopped));
            run.Emit(view, writer => writer.WriteLine(stopped switch
            {
                WorkloadStopResult.NotRunning => $"{workloadName} was not running on {hostName}; nothing was signalled.",
                WorkloadStopResult.Terminated => $"Stopped {workloadName} on {hostName}: it ended after SIGTERM.",
                _ => $"Stopped {workloadName} on {hostName}: its process tree was killed (SIGKILL).",
            }));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A manifest from the register options; the engine's rules check every value.</summary>
    /// <exception cref="UsageException">A value is invalid; the message names the option.</exception>
    internal static WorkloadManifest Manifest(
        WorkloadName name, IReadOnlyList<string> datasets, IReadOnlyList<string> argv, CheckpointMode mode, string? workingDirectory,
        IReadOnlyList<string> environment, int? healthPort, string? healthUrl, string? healthCommand, int healthTimeout, MigrationPolicy policy,
        IReadOnlyList<string> serviceAddresses)
    {
        // Each address is read and the list checked as the manifest would; the option is named in the fault.
        var addresses = Checked(WorkloadManifestValidator.CheckServiceAddresses(serviceAddresses, out var parsedAddresses), () => parsedAddresses);
        var parsedDatasets = datasets.Select(d => DatasetName.TryParse(d, out var dataset)
            ? dataset!
            : throw new UsageException("--dataset: " + Fault(() => DatasetName.Parse(d)))).ToArray();
        var variables = environment.Select(text =>
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            return equals > 0
                ? new KeyValuePair<string, string>(text[..equals], text[(equals + 1)..])
                : throw new UsageException($"--env: '{text}' is not NAME=VALUE; give the variable's name, '=' and its value, such as --env PORT=8080.");
        }).ToArray();

        string[] healthArgv = healthCommand is null ? [] : ["sh", "-c", healthCommand];
        var check = healthPort is { } port
            ? Checked(WorkloadManifestValidator.CheckTcpPortHealthCheck(port, healthTimeout), () => HealthCheck.ForTcpPort(port, healthTimeout))
            : healthUrl is not null
            ? Checked(WorkloadManifestValidator.CheckHttpUrlHealthCheck(healthUrl, healthTimeout), () => HealthCheck.ForHttpUrl(new Uri(healthUrl, UriKind.Absolute), healthTimeout))
            : healthCommand is not null
            ? Checked(WorkloadManifestValidator.CheckCommandHealthCheck(healthArgv, healthTimeout), () => HealthCheck.ForCommand(healthArgv, healthTimeout))
            : null;
        return Checked(
            WorkloadManifestValidator.Check(parsedDatasets, argv, mode, workingDirectory, variables, policy, addresses),
            () => new WorkloadManifest(name, parsedDatasets, argv, mode, workingDirectory, variables, check, policy, addresses));
    }

    /// <summary>What <paramref name="create"/> makes once the engine's validator found no fault.</summary>
    /// <exception cref="UsageException">The validator found a fault; the message names the option.</exception>
    private static T Checked<T>(WorkloadManifestFault? fault, Func<T> create) => fault is null ? create() : throw WorkloadFieldOptions.Usage(fault);

    /// <summary>Reads a manifest file on this machine; it must declare the workload named on the command line.</summary>
    /// <exception cref="UsageException">The file is missing, malformed, or declares another workload.</exception>
    internal static WorkloadManifest ReadManifestFile(string file, WorkloadName name)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--manifest: {file} cannot be read ({e.Message}); give the path of a manifest file.", e);
        }

        WorkloadManifest manifest;
        try
        {
            manifest = WorkloadManifestJson.Parse(content, file);
        }
        catch (WorkloadManifestException e)
        {
            throw new UsageException("--manifest: " + e.Message, e);
        }

        return manifest.Name == name
            ? manifest
            : throw new UsageException($"--manifest: {file} declares the workload {manifest.Name}, not {name}; give the same name on the command line.");
    }

    private static async Task<WorkloadView> DescribeAsync(WorkloadHost workloads, WorkloadName name, WorkloadPaths paths, CancellationToken cancellationToken)
    {
        var listing = await workloads.ListAsync(cancellationToken).ConfigureAwait(false);
        var summary = listing.Workloads.FirstOrDefault(w => w.Name == name)
            ?? throw new CommandRefusedException($"{name} is no longer declared on {listing.Host}; someone removed it meanwhile.");
        return WorkloadView.Of(summary, paths);
    }

    private static string Fault(Action parse)
    {
        try
        {
            parse();
            return "invalid";
        }
        catch (ArgumentException e)
        {
            return ValueParsers.EngineMessage(e);
        }
    }
}
