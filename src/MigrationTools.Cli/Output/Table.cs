namespace MigrationTools.Cli.Output;

/// <summary>
/// A plain-text table: a header row in capitals, columns two spaces apart, numbers right-aligned. Cells are single
/// lines: line breaks and other control characters in values (an error message, a path) are shown as spaces, so a
/// row is always one line and a value can never move the cursor.
/// </summary>
internal sealed class Table
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table.</summary>
    /// <param name="columns">Each column's header; a header ending in <c>&gt;</c> is right-aligned (the mark is not shown).</param>
    public Table(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _rightAligned = [.. columns.Select(c => c.EndsWith('>'))];
        _headers = [.. columns.Select(c => c.TrimEnd('>'))];
    }

    /// <summary>The rows added so far.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds a row.</summary>
    /// <param name="cells">One value per column; <see langword="null"/> shows as <c>-</c>.</param>
    /// <returns>This table.</returns>
    public Table Add(params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"The row has {cells.Length} cells for {_headers.Length} columns.", nameof(cells));
        }

        _rows.Add([.. cells.Select(Clean)]);
        return this;
    }

    /// <summary>Writes the header and the rows.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="indent">Spaces before every row, for a table inside a block of text.</param>
    public void Write(TextWriter writer, int indent = 0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var widths = _headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        var margin = new string(' ', indent);
        WriteRow(writer, margin, _headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, margin, row, widths);
        }
    }

    /// <summary>A value as one line: control characters become spaces, an empty or missing value a dash.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The cell.</returns>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars).Trim();
    }

    private void WriteRow(TextWriter writer, string margin, string[] cells, int[] widths)
    {
        var parts = new string[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            parts[i] = _rightAligned[i] ? cells[i].PadLeft(widths[i]) : last ? cells[i] : cells[i].PadRight(widths[i]);
        }

        writer.WriteLine(margin + string.Join("  ", parts).TrimEnd());
    }
}
