namespace MigrationTools.Bench;

/// <summary>The benchmarks' <c>--name value</c> options over their defaults.</summary>
internal static class BenchOptions
{
    /// <summary>The defaults with each <c>--name value</c> pair of <paramref name="args"/> in place of its default.</summary>
    /// <param name="args">The command line after the benchmark's name.</param>
    /// <param name="defaults">Every known option and its default; an option not in it is refused.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An option is unknown.</exception>
    public static Dictionary<string, string> Parse(string[] args, Dictionary<string, string> defaults)
    {
        var options = new Dictionary<string, string>(defaults);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            if (!options.ContainsKey(name))
            {
                throw new ArgumentException($"Unknown option {args[i]}; known: {string.Join(", ", options.Keys.Select(k => "--" + k))}.");
            }

            options[name] = args[i + 1];
        }

        return options;
    }
}
