using System.CommandLine;
using MigrationTools.Cli.Options;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Cli.Commands;

/// <summary>
/// <c>host sudoers|helper</c>: what a host needs so the engine can log in as an ordinary user: the root-owned helper
/// that checks every operation, and the sudoers rules that allow exactly its verbs. Both only print; nothing is reached.
/// </summary>
internal static class HostCommands
{
    /// <summary>Builds the <c>host</c> command and its verbs.</summary>
    /// <param name="app">The command line they belong to.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var host = new Command("host", "Prepare a host for a login user without root: the helper mt-host and its sudoers rules (see docs/security.md).");
        host.Add(Sudoers(app));
        host.Add(Helper(app));
        app.Help.Examples(
            host,
            "migrationtools host helper --dataset-root tank/apps > mt-host",
            "migrationtools host sudoers --user migrator > migrationtools.sudoers && visudo -cf migrationtools.sudoers");
        return host;
    }

    private static Option<string> HelperPathOption() => new("--helper")
    {
        Description = "Where the helper is installed on the hosts.",
        HelpName = "path",
        DefaultValueFactory = _ => HostPolicy.DefaultHelperPath,
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 1 && HostPolicy.HelperPathError(result.Tokens[0].Value) is { } error)
                {
                    result.AddError("--helper: " + error);
                }
            },
        },
    };

    private static Command Sudoers(CliApplication app)
    {
        var user = new Option<string>("--user", "-u")
        {
            Description = "The login user the engine connects as (not root).",
            HelpName = "name",
            Required = true,
            Validators =
            {
                result =>
                {
                    try
                    {
                        SudoersPolicy.Rule(result.Tokens.Count == 1 ? result.Tokens[0].Value : "", HostPolicy.DefaultHelperPath, "zfs-get");
                    }
                    catch (ArgumentException e)
                    {
                        result.AddError("--user: " + ValueParsers.EngineMessage(e));
                    }
                },
            },
        };
        var helper = HelperPathOption();
        var command = new Command("sudoers", "Print the sudoers rules that let a login user run the helper's verbs as root, one rule per verb, and nothing else.") { user, helper };
        app.Help.Examples(
            command,
            "migrationtools host sudoers --user migrator",
            "migrationtools host sudoers -u migrator | ssh root@h1 'cat > /tmp/mt && visudo -cf /tmp/mt && install -m 0440 /tmp/mt /etc/sudoers.d/migrationtools'");
        app.SetAction(command, run =>
        {
            var text = SudoersPolicy.Render(run.Result.GetValue(user)!, run.Result.GetValue(helper)!);
            run.Emit(new HostTextView("sudoers", text), writer => writer.Write(text));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Helper(CliApplication app)
    {
        var roots = new Option<DatasetName[]>("--dataset-root")
        {
            Description = "A dataset whose tree the engine may change (repeat for several); every other dataset is out of reach.",
            HelpName = "dataset",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result =>
            {
                var names = new List<DatasetName>();
                foreach (var token in result.Tokens)
                {
                    try
                    {
                        names.Add(DatasetName.Parse(token.Value));
                    }
                    catch (ArgumentException e)
                    {
                        result.AddError("--dataset-root: " + ValueParsers.EngineMessage(e));
                    }
                }

                return names.ToArray();
            },
        };
        var list = new Option<bool>("--list") { Description = "List the helper's verbs and what each allows instead of printing the helper." };
        var helper = HelperPathOption();
        var command = new Command("helper", "Print mt-host, the root-owned sh helper that checks each operation's arguments, then runs it.") { roots, list, helper };
        app.Paths.AddTo(command);
        app.Help.Examples(
            command,
            "migrationtools host helper --dataset-root tank/apps --dataset-root backup/copies > mt-host",
            "migrationtools host helper --dataset-root tank/apps | ssh root@h1 'install -D -o root -g root -m 0755 /dev/stdin " + HostPolicy.DefaultHelperPath + "'",
            "migrationtools host helper --list");
        app.SetAction(command, run =>
        {
            if (run.Result.GetValue(list))
            {
                var listing = HostHelperScript.Listing();
                run.Emit(new HostTextView("verbs", listing), writer => writer.Write(listing));
                return Task.FromResult(ExitCodes.Success);
            }

            var datasets = run.Result.GetValue(roots) ?? [];
            if (datasets.Length == 0)
            {
                throw new UsageException("--dataset-root is required: name the dataset tree the engine may change on the hosts, such as --dataset-root tank/apps.");
            }

            var policy = new HostPolicy(datasets, app.Paths.Read(run.Result), run.Result.GetValue(helper));
            var text = HostHelperScript.Render(policy);
            run.Emit(new HostTextView("helper", text), writer => writer.Write(text));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
