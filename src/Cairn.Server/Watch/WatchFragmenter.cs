using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Server.Watch;

/// <summary>
/// etcd's watch fragmentation: a response of at least the threshold size holding two or more events is split into
/// responses that each stay under it (a single event larger than the threshold still travels alone). Every part has
/// the same watch ID and header; all but the last carry <c>fragment=true</c>.
/// </summary>
internal static class WatchFragmenter
{
    // Field 11 (events) has a one-byte tag.
    private const int EventTagBytes = 1;

    /// <summary>The parts to send for <paramref name="response"/>: the response itself when it needs no split.</summary>
    public static List<WatchResponse> Split(WatchResponse response, int thresholdBytes)
    {
        var parts = new List<WatchResponse>(1);
        if (response.Events.Count < 2 || response.CalculateSize() < thresholdBytes)
        {
            parts.Add(response);
            return parts;
        }

        int baseBytes = NewPart(response).CalculateSize();
        WatchResponse current = NewPart(response);
        int currentBytes = baseBytes;
        foreach (Event evt in response.Events)
        {
            int eventBytes = EventTagBytes + CodedOutputStream.ComputeMessageSize(evt);
            // etcd adds the event, then closes the part without it if the part now holds 2+ events and reached the threshold.
            if (current.Events.Count >= 1 && currentBytes + eventBytes >= thresholdBytes)
            {
                parts.Add(current);
                current = NewPart(response);
                currentBytes = baseBytes;
            }

            current.Events.Add(evt);
            currentBytes += eventBytes;
        }

        current.Fragment = false;
        parts.Add(current);
        return parts;
    }

    private static WatchResponse NewPart(WatchResponse whole) => new()
    {
        Header = whole.Header,
        WatchId = whole.WatchId,
        Created = whole.Created,
        Canceled = whole.Canceled,
        CompactRevision = whole.CompactRevision,
        CancelReason = whole.CancelReason,
        Fragment = true,
    };
}
