using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Client.Grpc;

/// <summary>The response side of a streaming call: headers, then messages, then the status in the trailers.</summary>
internal sealed class GrpcResponseReader<TResponse>(Task<HttpResponseMessage> responseTask, MessageParser<TResponse> parser, int maxReceiveMessageBytes)
    : IDisposable
    where TResponse : class, IMessage<TResponse>
{
    private HttpResponseMessage? _response;
    private Stream? _body;
    private GrpcReadOptions _readOptions;
    private RpcException? _finalError;
    private bool _finished;

    /// <summary>True once the call's status is known (end of stream or error).</summary>
    public bool Finished => _finished;

    /// <summary>The call's error status once known; null while running or after OK.</summary>
    public RpcException? FinalError => _finished ? _finalError : null;

    /// <summary>Reads the next message; null when the call ended with OK. Throws the call's status otherwise.</summary>
    public async ValueTask<TResponse?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return _finalError is null ? null : throw _finalError;
        }

        if (_body is null && !await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        TResponse? message = await GrpcStreamMessageReader.ReadAsync(_body!, parser, _readOptions, cancellationToken).ConfigureAwait(false);
        if (message is not null)
        {
            return message;
        }

        Finish(GrpcResponseHeaders.ReadTrailers(_response!));
        return null;
    }

    /// <summary>Records a failure as the call's final status.</summary>
    public RpcException Fail(RpcException error)
    {
        if (!_finished)
        {
            _finished = true;
            _finalError = error;
        }

        return _finalError ?? error;
    }

    public void Dispose() => _response?.Dispose();

    private async ValueTask<bool> OpenAsync(CancellationToken cancellationToken)
    {
        _response = await responseTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        RpcException? headerStatus = GrpcResponseHeaders.Check(_response, out GrpcCompression compression, out bool trailersOnlyOk);
        if (headerStatus is not null || trailersOnlyOk)
        {
            Finish(headerStatus);
            return false;
        }

        _readOptions = new GrpcReadOptions(maxReceiveMessageBytes, compression, GrpcPeerRole.Client);
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void Finish(RpcException? status)
    {
        _finished = true;
        _finalError = status;
        if (status is not null)
        {
            throw status;
        }
    }
}
