using System.Globalization;
using System.Text;

namespace MigrationTools.Module.Tests;

/// <summary>
/// Reads the subset of the PowerShell data language that module manifests use, so that a manifest
/// can be checked without a PowerShell runtime.
/// </summary>
/// <remarks>
/// Values come back as <see cref="Dictionary{TKey, TValue}"/> (keys case-insensitive, as in a
/// PowerShell hashtable) for <c>@{ }</c>, <c>object?[]</c> for <c>@( )</c> and comma lists,
/// <see cref="string"/>, <see cref="bool"/> (<c>$true</c>, <c>$false</c>), <see langword="null"/>
/// (<c>$null</c>), <see cref="int"/>, <see cref="long"/> and <see cref="double"/>.
/// Supported: single-quoted strings (<c>''</c> escapes a quote), double-quoted strings (backtick
/// escapes and <c>""</c>, no variable expansion), here-strings, hashtables with newline or <c>;</c>
/// separators, arrays with comma or newline separators, <c>#</c> and <c>&lt;# #&gt;</c> comments.
/// Anything else is a <see cref="FormatException"/> naming the line and column.
/// </remarks>
internal static class PowerShellDataFile
{
    public static Dictionary<string, object?> ReadHashtable(string path) =>
        ParseHashtable(File.ReadAllText(path));

    public static Dictionary<string, object?> ParseHashtable(string text) =>
        Parse(text) as Dictionary<string, object?>
            ?? throw new FormatException("The data file does not hold a hashtable (@{ ... }).");

    public static object? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text).ParseDocument();
    }

    private sealed class Parser(string text)
    {
        private readonly string _text = text;
        private int _position;

        private bool AtEnd => _position >= _text.Length;

        private char Current => _text[_position];

        public object? ParseDocument()
        {
            SkipTrivia(newlines: true);
            if (AtEnd)
            {
                throw Error("The data file is empty.");
            }

            var value = ParseExpression();
            SkipTrivia(newlines: true);
            if (!AtEnd)
            {
                throw Error($"Unexpected '{Current}' after the value.");
            }

            return value;
        }

        /// <summary>A value, or several joined by commas into an array.</summary>
        private object? ParseExpression()
        {
            var first = ParsePrimary();
            SkipTrivia(newlines: false);
            if (AtEnd || Current != ',')
            {
                return first;
            }

            var items = new List<object?> { first };
            while (!AtEnd && Current == ',')
            {
                _position++;
                SkipTrivia(newlines: true);
                items.Add(ParsePrimary());
                SkipTrivia(newlines: false);
            }

            return items.ToArray();
        }

        private object? ParsePrimary()
        {
            if (AtEnd)
            {
                throw Error("Expected a value, found the end of the file.");
            }

            switch (Current)
            {
                case '\'':
                    return ParseSingleQuoted();
                case '"':
                    return ParseDoubleQuoted();
                case '$':
                    return ParseVariable();
                case '@' when Peek(1) == '{':
                    return ParseHashtable();
                case '@' when Peek(1) == '(':
                    return ParseArray();
                case '@' when Peek(1) is '\'' or '"':
                    return ParseHereString();
                case var c when char.IsAsciiDigit(c) || (c is '-' or '+' && char.IsAsciiDigit(Peek(1))):
                    return ParseNumber();
                default:
                    throw Error($"Unexpected '{Current}' where a value was expected.");
            }
        }

        private Dictionary<string, object?> ParseHashtable()
        {
            var start = _position;
            _position += 2;
            var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipSeparators();
                if (AtEnd)
                {
                    throw Error("Unterminated hashtable: missing '}'.", start);
                }

                if (Current == '}')
                {
                    _position++;
                    return table;
                }

                var keyStart = _position;
                var key = ParseKey();
                SkipTrivia(newlines: false);
                Expect('=');
                SkipTrivia(newlines: true);
                var value = ParseExpression();
                if (!table.TryAdd(key, value))
                {
                    throw Error($"Duplicate key '{key}'.", keyStart);
                }

                SkipTrivia(newlines: false);
                if (!AtEnd && Current is not ('\r' or '\n' or ';' or '}'))
                {
                    throw Error($"Expected a newline, ';' or '}}' after the value of '{key}', found '{Current}'.");
                }
            }
        }

        private object?[] ParseArray()
        {
            var start = _position;
            _position += 2;
            var items = new List<object?>();
            while (true)
            {
                SkipSeparators();
                if (AtEnd)
                {
                    throw Error("Unterminated array: missing ')'.", start);
                }

                if (Current == ')')
                {
                    _position++;
                    return items.ToArray();
                }

                // @( ) collects what each statement inside it yields, so a comma list is spread out.
                var value = ParseExpression();
                if (value is object?[] spread)
                {
                    items.AddRange(spread);
                }
                else
                {
                    items.Add(value);
                }

                SkipTrivia(newlines: false);
                if (!AtEnd && Current is not ('\r' or '\n' or ';' or ')'))
                {
                    throw Error($"Expected ',', a newline, ';' or ')' in the array, found '{Current}'.");
                }
            }
        }

        private string ParseKey()
        {
            if (Current is '\'')
            {
                return ParseSingleQuoted();
            }

            if (Current is '"')
            {
                return ParseDoubleQuoted();
            }

            var start = _position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current is '_' or '-' or '.'))
            {
                _position++;
            }

            if (_position == start)
            {
                throw Error($"Expected a key, found '{Current}'.");
            }

            return _text[start.._position];
        }

        private string ParseSingleQuoted()
        {
            var start = _position;
            _position++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("Unterminated single-quoted string.", start);
                }

                var c = Current;
                _position++;
                if (c != '\'')
                {
                    value.Append(c);
                }
                else if (!AtEnd && Current == '\'')
                {
                    value.Append('\'');
                    _position++;
                }
                else
                {
                    return value.ToString();
                }
            }
        }

        private string ParseDoubleQuoted()
        {
            var start = _position;
            _position++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("Unterminated double-quoted string.", start);
                }

                var c = Current;
                _position++;
                switch (c)
                {
                    case '"' when !AtEnd && Current == '"':
                        value.Append('"');
                        _position++;
                        break;
                    case '"':
                        return value.ToString();
                    case '`':
                        if (AtEnd)
                        {
                            throw Error("Unterminated double-quoted string.", start);
                        }

                        value.Append(Unescape(Current));
                        _position++;
                        break;
                    case '$' when !AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current is '_' or '{' or '(' or '?' or '^' or ':'):
                        throw Error("Variable or subexpression expansion is not allowed in a data file.", _position - 1);
                    default:
                        value.Append(c);
                        break;
                }
            }
        }

        private string ParseHereString()
        {
            var start = _position;
            var quote = Peek(1);
            _position += 2;
            SkipTrivia(newlines: false);
            if (!TrySkipNewline())
            {
                throw Error("A here-string's opening @' or @\" must end its line.", start);
            }

            var bodyStart = _position;
            while (!AtEnd)
            {
                var lineStart = _position;
                if (Current == quote && Peek(1) == '@')
                {
                    // The newline before the closing quote is not part of the value.
                    var body = _text[bodyStart..Math.Max(bodyStart, lineStart)];
                    _position += 2;
                    body = body.EndsWith("\r\n", StringComparison.Ordinal) ? body[..^2]
                        : body.EndsWith('\n') ? body[..^1]
                        : body;
                    if (quote == '"' && body.Contains('$', StringComparison.Ordinal))
                    {
                        throw Error("Variable expansion is not allowed in a data file's here-string.", start);
                    }

                    return body;
                }

                while (!AtEnd && !TrySkipNewline())
                {
                    _position++;
                }
            }

            throw Error("Unterminated here-string.", start);
        }

        private bool? ParseVariable()
        {
            var start = _position;
            _position++;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
            {
                _position++;
            }

            var name = _text[(start + 1).._position];
            if (name.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (name.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (name.Equals("null", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw Error($"Variable '${name}' is not allowed in a data file.", start);
        }

        private object ParseNumber()
        {
            var start = _position;
            if (Current is '-' or '+')
            {
                _position++;
            }

            while (!AtEnd && (char.IsAsciiDigit(Current) || Current == '.'))
            {
                _position++;
            }

            var literal = _text[start.._position];
            if (int.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small))
            {
                return small;
            }

            if (long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large))
            {
                return large;
            }

            if (double.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var real))
            {
                return real;
            }

            throw Error($"'{literal}' is not a number.", start);
        }

        private static char Unescape(char c) => c switch
        {
            '0' => '\0',
            'a' => '\a',
            'b' => '\b',
            'e' => '\u001b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\v',
            _ => c,
        };

        /// <summary>Skips blanks, comments and line continuations; newlines too when asked.</summary>
        private void SkipTrivia(bool newlines)
        {
            while (!AtEnd)
            {
                var c = Current;
                if (c is ' ' or '\t' || (newlines && c is '\r' or '\n'))
                {
                    _position++;
                }
                else if (c == '`' && Peek(1) is '\r' or '\n')
                {
                    _position++;
                    TrySkipNewline();
                }
                else if (c == '<' && Peek(1) == '#')
                {
                    var close = _text.IndexOf("#>", _position + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        throw Error("Unterminated block comment: missing '#>'.");
                    }

                    _position = close + 2;
                }
                else if (c == '#')
                {
                    while (!AtEnd && Current is not ('\r' or '\n'))
                    {
                        _position++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        /// <summary>Skips trivia, newlines and the <c>;</c> that separate entries.</summary>
        private void SkipSeparators()
        {
            SkipTrivia(newlines: true);
            while (!AtEnd && Current == ';')
            {
                _position++;
                SkipTrivia(newlines: true);
            }
        }

        private bool TrySkipNewline()
        {
            if (AtEnd)
            {
                return false;
            }

            if (Current == '\r')
            {
                _position++;
                if (!AtEnd && Current == '\n')
                {
                    _position++;
                }

                return true;
            }

            if (Current == '\n')
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char expected)
        {
            if (AtEnd || Current != expected)
            {
                throw Error(AtEnd
                    ? $"Expected '{expected}', found the end of the file."
                    : $"Expected '{expected}', found '{Current}'.");
            }

            _position++;
        }

        private char Peek(int offset) =>
            _position + offset < _text.Length ? _text[_position + offset] : '\0';

        private FormatException Error(string message) => Error(message, _position);

        private FormatException Error(string message, int position)
        {
            var line = 1;
            var column = 1;
            for (var i = 0; i < position && i < _text.Length; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return new FormatException($"Line {line}, column {column}: {message}");
        }
    }
}
