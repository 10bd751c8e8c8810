using Purr.Core.Formats;

namespace Purr.Core.Tests.Camt;

/// <summary>Access to tests/data (copied to the output folder) for the bank-file tests.</summary>
internal static class BankTestFiles
{
    public static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    /// <summary>Reads a test file through the format-detecting entry point, to the end.</summary>
    public static BankFileContent Read(params string[] parts)
    {
        using var stream = File.OpenRead(PathOf(parts));
        return BankFileReader.Read(stream, Path.GetFileName(parts[^1])).ReadAll();
    }

    /// <summary>Reads bytes through the format-detecting entry point, to the end.</summary>
    public static BankFileContent ReadBytes(byte[] bytes, string name = "test")
    {
        using var stream = new MemoryStream(bytes);
        return BankFileReader.Read(stream, name).ReadAll();
    }

    public static BankFileContent ReadText(string text, string name = "test") =>
        ReadBytes(System.Text.Encoding.UTF8.GetBytes(text), name);

    public static string Text(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>A read-only, non-seekable view of a stream, as a network upload would be.</summary>
    public sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// A stream that produces its content lazily, chunk by chunk, so a huge file never exists in memory or on disk.
    /// </summary>
    public sealed class GeneratedStream(IEnumerable<string> chunks, System.Text.Encoding encoding) : Stream
    {
        private readonly IEnumerator<string> _chunks = chunks.GetEnumerator();
        private byte[] _current = [];
        private int _offset;

        public long BytesProduced { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_offset == _current.Length)
            {
                if (!_chunks.MoveNext()) return 0;
                _current = encoding.GetBytes(_chunks.Current);
                _offset = 0;
            }
            var n = Math.Min(count, _current.Length - _offset);
            Array.Copy(_current, _offset, buffer, offset, n);
            _offset += n;
            BytesProduced += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
