using System;

namespace MigrationTools.Engine.Phases;

/// <summary>Disposes several things as one, each once, all even when one throws.</summary>
internal sealed class Releases : IDisposable
{
    private readonly IDisposable[] _items;

    public Releases(params IDisposable[] items) => _items = items;

    public void Dispose()
    {
        Exception? first = null;
        foreach (var item in _items)
        {
            try
            {
                item.Dispose();
            }
#pragma warning disable CA1031 // Every item is released; the first failure is thrown after.
            catch (Exception e)
#pragma warning restore CA1031
            {
                first ??= e;
            }
        }

        if (first is not null)
        {
            throw first;
        }
    }
}
