using System;
using System.Text;

namespace MigrationTools.Engine.Remote;

/// <summary>Keeps the last <c>capacity</c> bytes written to it and counts what it dropped.</summary>
internal sealed class TailBuffer
{
    private readonly byte[] _ring;
    private readonly object _gate = new();
    private long _total;

    public TailBuffer(int capacity)
    {
        if (capacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity cannot be negative.");
        }

        _ring = new byte[capacity];
    }

    /// <summary>Every byte ever appended.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public bool Truncated => TotalBytes > _ring.Length;

    public void Append(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            if (_ring.Length > 0)
            {
                // Only the last capacity bytes of a large chunk can survive.
                var skip = Math.Max(0, count - _ring.Length);
                var position = (int)((_total + skip) % _ring.Length);
                for (var i = offset + skip; i < offset + count; i++)
                {
                    _ring[position] = buffer[i];
                    position = position + 1 == _ring.Length ? 0 : position + 1;
                }
            }

            _total += count;
        }
    }

    public byte[] ToArray()
    {
        lock (_gate)
        {
            var length = (int)Math.Min(_total, _ring.Length);
            var result = new byte[length];
            if (length == 0)
            {
                return result;
            }

            var start = (int)((_total - length) % _ring.Length);
            var first = Math.Min(length, _ring.Length - start);
            Array.Copy(_ring, start, result, 0, first);
            Array.Copy(_ring, 0, result, first, length - first);
            return result;
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(ToArray());
}
