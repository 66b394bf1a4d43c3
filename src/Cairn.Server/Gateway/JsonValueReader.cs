using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Cairn.Server.Gateway;

/// <summary>
/// Reads consecutive JSON values from a request body, the way Go's <c>json.Decoder</c> feeds grpc-gateway: a
/// streaming call's body may hold several concatenated objects (<c>{...}{...}</c>), each one request. The scan is
/// incremental, so a value arriving in many small pieces is examined once.
/// </summary>
internal sealed class JsonValueReader(PipeReader body, int maxValueBytes)
{
    private readonly PipeReader _body = body;
    private readonly int _maxValueBytes = maxValueBytes;
    private ValueScanner _scanner;

    /// <summary>The next value's text, or null when only whitespace is left in the body.</summary>
    /// <exception cref="GatewayRequestException">The body ends inside a value (<c>unexpected EOF</c>) or a value is
    /// larger than the limit.</exception>
    public async ValueTask<string?> ReadNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _body.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (_scanner.Scan(buffer, result.IsCompleted) is { } value)
            {
                ThrowIfTooLarge(value.End - value.Start);
                string text = Encoding.UTF8.GetString(buffer.Slice(value.Start, value.End - value.Start));
                _body.AdvanceTo(buffer.GetPosition(value.End));
                _scanner = default;
                return text;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                bool onlyWhitespace = !_scanner.Started;
                // Go's decoder stops at the first syntax error, before it would notice the body ended.
                string? syntaxError = onlyWhitespace ? null : GoJsonSyntax.FindError(Encoding.UTF8.GetString(buffer.Slice(_scanner.Start)));
                _body.AdvanceTo(buffer.End);
                _scanner = default;
                return onlyWhitespace ? null : throw new GatewayRequestException(syntaxError ?? "unexpected EOF");
            }

            ThrowIfTooLarge(_scanner.ValueBytes(buffer.Length));
            _body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private void ThrowIfTooLarge(long valueBytes)
    {
        if (valueBytes > _maxValueBytes)
        {
            throw new GatewayRequestException(
                $"cairn: a JSON request is larger than {_maxValueBytes} bytes (the gateway's limit, derived from --max-request-bytes)");
        }
    }

    /// <summary>Finds where one JSON value starts and ends; remembers how far it got between reads.</summary>
    private struct ValueScanner
    {
        private long _examined;
        private long _start;
        private ValueKind _kind;
        private int _depth;
        private bool _inString;
        private bool _escaped;

        public readonly bool Started => _kind != ValueKind.None;

        /// <summary>Where the value started in the buffer (valid once <see cref="Started"/>).</summary>
        public readonly long Start => _start;

        public readonly long ValueBytes(long bufferLength) => Started ? bufferLength - _start : 0;

        /// <summary>The value's [start, end) offsets in <paramref name="buffer"/>, once it is complete.</summary>
        public (long Start, long End)? Scan(ReadOnlySequence<byte> buffer, bool isFinal)
        {
            var reader = new SequenceReader<byte>(buffer);
            reader.Advance(_examined);
            while (reader.TryRead(out byte b))
            {
                long position = reader.Consumed - 1;
                if (Step(b, position) is long end)
                {
                    return (_start, end);
                }
            }

            _examined = buffer.Length;
            // A bare number or literal ends with the body.
            return isFinal && _kind == ValueKind.Scalar ? (_start, buffer.Length) : null;
        }

        /// <summary>Consumes one byte; returns the end offset when it completes the value.</summary>
        private long? Step(byte b, long position)
        {
            switch (_kind)
            {
                case ValueKind.None:
                    StartValue(b, position);
                    return null;
                case ValueKind.Scalar:
                    return IsWhitespace(b) || b is (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' or (byte)',' or (byte)'"' or (byte)':'
                        ? position
                        : null;
                case ValueKind.String:
                    return StepString(b) ? position + 1 : null;
                default:
                    return StepContainer(b) ? position + 1 : null;
            }
        }

        private void StartValue(byte b, long position)
        {
            if (IsWhitespace(b))
            {
                return;
            }

            _start = position;
            (_kind, _depth, _inString) = b switch
            {
                (byte)'{' or (byte)'[' => (ValueKind.Container, 1, false),
                (byte)'"' => (ValueKind.String, 0, true),
                _ => (ValueKind.Scalar, 0, false),
            };
        }

        /// <summary>True when <paramref name="b"/> closes the string.</summary>
        private bool StepString(byte b)
        {
            if (_escaped)
            {
                _escaped = false;
                return false;
            }

            if (b == (byte)'\\')
            {
                _escaped = true;
                return false;
            }

            if (b == (byte)'"')
            {
                _inString = false;
                return true;
            }

            return false;
        }

        /// <summary>True when <paramref name="b"/> closes the outermost object or array.</summary>
        private bool StepContainer(byte b)
        {
            if (_inString)
            {
                StepString(b);
                return false;
            }

            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    return false;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    return false;
                case (byte)'}' or (byte)']':
                    return --_depth == 0;
                default:
                    return false;
            }
        }

        private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }

    private enum ValueKind
    {
        None,
        Container,
        String,
        Scalar,
    }
}

/// <summary>A gateway request body that cannot be read as JSON; the message is what the client is told.</summary>
internal sealed class GatewayRequestException(string message) : Exception(message);
