using System.CommandLine;

namespace MigrationTools.Cli.Options;

/// <summary>
/// An option that takes one word from a fixed set, such as <c>--compression zstd</c>, case-insensitively. Help lists the
/// words and names the default as it is written on a command line (System.CommandLine would show the parsed value).
/// </summary>
/// <typeparam name="T">What the words stand for.</typeparam>
internal sealed class ChoiceOption<T>
    where T : struct
{
    private readonly IReadOnlyList<(string Word, T Value)> _words;

    /// <summary>Creates the option.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">What it chooses; the default is added to it.</param>
    /// <param name="words">The words it takes, in the order help lists them, with their values.</param>
    /// <param name="defaultWord">The word that applies when the option is not given.</param>
    public ChoiceOption(string name, string description, IReadOnlyList<(string Word, T Value)> words, string defaultWord)
    {
        _words = words ?? throw new ArgumentNullException(nameof(words));
        Default = Lookup(defaultWord) ?? throw new ArgumentException($"The default '{defaultWord}' is not one of the words.", nameof(defaultWord));
        var list = string.Join("|", words.Select(w => w.Word));
        Option = new Option<T?>(name)
        {
            Description = $"{description} Default: {defaultWord}.",
            HelpName = list,
            CustomParser = result =>
            {
                var word = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                var value = Lookup(word);
                if (value is null)
                {
                    result.AddError($"{name} takes one of {list.Replace("|", ", ", StringComparison.Ordinal)}; '{word}' is none of them.");
                }

                return value;
            },
        };
    }

    /// <summary>The option, to add to commands.</summary>
    public Option<T?> Option { get; }

    /// <summary>The value when the option is not given.</summary>
    public T Default { get; }

    /// <summary>The value chosen on the command line, or the default.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The value.</returns>
    public T Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(Option) ?? Default;
    }

    private T? Lookup(string word)
    {
        foreach (var (candidate, value) in _words)
        {
            if (string.Equals(candidate, word, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
