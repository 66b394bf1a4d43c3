using Microsoft.Extensions.Logging;

namespace Cairn.Server.Corruption;

/// <summary>The corruption check's log messages (source-generated).</summary>
internal static partial class CorruptionCheckLog
{
    [LoggerMessage(400, LogLevel.Information, "corruption check at revision {Revision}: {Compared} peers compared, all agree (hash {Hash})", EventName = "corrupt_check_ok")]
    public static partial void Agreed(ILogger logger, long revision, int compared, uint hash);

    [LoggerMessage(401, LogLevel.Error, "corruption check at revision {Revision}: member {MemberId:x} holds a different key-value history; raising the CORRUPT alarm (hashes: {Hashes})", EventName = "corrupt_check_mismatch")]
    public static partial void Mismatch(ILogger logger, long revision, ulong memberId, string hashes);

    [LoggerMessage(402, LogLevel.Warning, "corruption check: cannot get HashKV at revision {Revision} from member {MemberId:x}: {Problem}", EventName = "corrupt_check_peer_failed")]
    public static partial void PeerFailed(ILogger logger, long revision, ulong memberId, string problem);

    [LoggerMessage(403, LogLevel.Warning, "corruption check failed: {Problem}", EventName = "corrupt_check_failed")]
    public static partial void CheckFailed(ILogger logger, string problem);
}
