using System.Text;
using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;
using Google.Protobuf;
using SortOrder = Cairn.Protocol.Etcd.RangeRequest.Types.SortOrder;
using SortTarget = Cairn.Protocol.Etcd.RangeRequest.Types.SortTarget;

namespace Cairn.Storage.Tests.Model;

/// <summary>
/// An obviously-correct etcd KV model: a flat list of every record, scanned linearly. Keys are Latin-1 strings so
/// ordinal string order equals byte order. Written from reference §4, independently of the store's data structures.
/// </summary>
public sealed partial class ReferenceModel
{
    private readonly List<Rec> _records = [];
    private readonly Dictionary<long, (long Ttl, SortedSet<string> Keys)> _leases = [];

    public long Current { get; private set; } = 1;

    public long Compacted { get; private set; } = -1;

    public int MaxTxnOps { get; init; } = 128;

    private sealed record Rec(string Key, long Mod, int Sub, long Create, long Version, long Lease, byte[] Value, bool Tomb);

    private static string Str(ByteString bytes) => Encoding.Latin1.GetString(bytes.Span);

    private static ByteString Bytes(string key) => ByteString.CopyFrom(Encoding.Latin1.GetBytes(key));

    // A txn may change a key twice in one revision (a "from key" delete plus a put); the higher sub-revision wins.
    private Rec? Latest(string key, long revision) =>
        _records.Where(r => r.Key == key && r.Mod <= revision).OrderBy(r => r.Mod).ThenBy(r => r.Sub).LastOrDefault();

    private Rec? Live(string key, long revision) => Latest(key, revision) is { Tomb: false } rec ? rec : null;

    private IEnumerable<string> KeysIn(string key, string rangeEnd) =>
        _records.Select(r => r.Key).Distinct().Where(k => InRange(k, key, rangeEnd)).OrderBy(k => k, StringComparer.Ordinal);

    private static bool InRange(string k, string key, string rangeEnd) =>
        rangeEnd.Length == 0 ? k == key
        : rangeEnd == "\0" ? string.CompareOrdinal(k, key) >= 0
        : string.CompareOrdinal(k, key) >= 0 && string.CompareOrdinal(k, rangeEnd) < 0;

    private static KeyValue ToKv(Rec rec, bool withValue = true) => new()
    {
        Key = Bytes(rec.Key), CreateRevision = rec.Create, ModRevision = rec.Mod, Version = rec.Version, Lease = rec.Lease,
        Value = withValue ? ByteString.CopyFrom(rec.Value) : ByteString.Empty,
    };

    // ---- Range ----

    public RangeResponse Range(RangeRequest request) => RangeAt(request, Current);

    private RangeResponse RangeAt(RangeRequest request, long current)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdError.EmptyKey.ToException();
        }

        if (request.Revision > current)
        {
            throw EtcdError.FutureRevision.ToException();
        }

        long revision = request.Revision <= 0 ? current : request.Revision;
        if (revision < Compacted)
        {
            throw EtcdError.Compacted.ToException();
        }

        List<KeyValue> all = KeysIn(Str(request.Key), Str(request.RangeEnd))
            .Select(k => Live(k, revision)).OfType<Rec>().Select(r => ToKv(r)).ToList();
        var response = new RangeResponse { Header = new ResponseHeader { Revision = current }, Count = all.Count };
        if (request.CountOnly)
        {
            return response;
        }

        bool filtered = request.MinModRevision != 0 || request.MaxModRevision != 0 || request.MinCreateRevision != 0 || request.MaxCreateRevision != 0;
        List<KeyValue> kvs = request.SortOrder != SortOrder.None || filtered || request.Limit <= 0
            ? all : all.Take((int)request.Limit + 1).ToList();
        kvs = kvs.Where(kv => !(request.MaxModRevision != 0 && kv.ModRevision > request.MaxModRevision)
            && !(request.MinModRevision != 0 && kv.ModRevision < request.MinModRevision)
            && !(request.MaxCreateRevision != 0 && kv.CreateRevision > request.MaxCreateRevision)
            && !(request.MinCreateRevision != 0 && kv.CreateRevision < request.MinCreateRevision)).ToList();
        SortOrder order = request.SortTarget != SortTarget.Key && request.SortOrder == SortOrder.None ? SortOrder.Ascend : request.SortOrder;
        if (order is SortOrder.Ascend or SortOrder.Descend)
        {
            kvs = SortKvs(kvs, request.SortTarget, order == SortOrder.Descend);
        }

        if (request.Limit > 0 && kvs.Count > request.Limit)
        {
            kvs = kvs.Take((int)request.Limit).ToList();
            response.More = true;
        }

        foreach (KeyValue kv in kvs)
        {
            if (request.KeysOnly)
            {
                kv.Value = ByteString.Empty;
            }

            response.Kvs.Add(kv);
        }

        return response;
    }

    private static List<KeyValue> SortKvs(List<KeyValue> kvs, SortTarget target, bool descending)
    {
        Func<KeyValue, KeyValue, int> primary = target switch
        {
            SortTarget.Version => (a, b) => a.Version.CompareTo(b.Version),
            SortTarget.Create => (a, b) => a.CreateRevision.CompareTo(b.CreateRevision),
            SortTarget.Mod => (a, b) => a.ModRevision.CompareTo(b.ModRevision),
            SortTarget.Value => (a, b) => string.CompareOrdinal(Str(a.Value), Str(b.Value)),
            _ => (_, _) => 0,
        };
        var sorted = kvs.ToList();
        sorted.Sort((a, b) =>
        {
            int c = descending ? -primary(a, b) : primary(a, b);
            c = c != 0 ? c : string.CompareOrdinal(Str(a.Key), Str(b.Key));
            return target == SortTarget.Key && descending ? -c : c;
        });
        return sorted;
    }

    // ---- Compaction and hash ----

    public void Compact(long revision)
    {
        if (revision <= Compacted)
        {
            throw EtcdError.Compacted.ToException();
        }

        if (revision > Current)
        {
            throw EtcdError.FutureRevision.ToException();
        }

        Compacted = revision;
        foreach (string key in _records.Select(r => r.Key).Distinct().ToList())
        {
            Rec? keep = Latest(key, revision);
            _records.RemoveAll(r => r.Key == key && r.Mod <= revision && (r != keep || r.Tomb));
        }
    }

    public uint HashKV(long revision)
    {
        if (revision > 0 && revision <= Compacted)
        {
            throw EtcdError.Compacted.ToException();
        }

        if (revision > Current)
        {
            throw EtcdError.FutureRevision.ToException();
        }

        long upTo = revision == 0 ? Current : revision;
        var crc = new StateCrc32C();
        crc.Append("key"u8);
        foreach (Rec rec in _records.Where(r => r.Mod <= upTo).OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Mod).ThenBy(r => r.Sub))
        {
            byte[] key = Encoding.Latin1.GetBytes(rec.Key);
            crc.Append(key.Length);
            crc.Append(key);
            crc.Append(rec.Mod);
            crc.Append(rec.Sub);
            crc.Append(rec.Create);
            crc.Append(rec.Version);
            crc.Append(rec.Lease);
            crc.Append(rec.Value.Length);
            crc.Append(rec.Value);
        }

        return crc.Value;
    }

    // ---- Leases ----

    public LeaseGrantResponse Grant(long id, long ttl)
    {
        if (id == 0)
        {
            throw EtcdError.LeaseNotFound.ToException();
        }

        if (ttl > 9_000_000_000)
        {
            throw EtcdError.LeaseTtlTooLarge.ToException();
        }

        if (_leases.ContainsKey(id))
        {
            throw EtcdError.LeaseExists.ToException();
        }

        _leases[id] = (Math.Max(ttl, 2), new SortedSet<string>(StringComparer.Ordinal));
        return new LeaseGrantResponse { ID = id, TTL = Math.Max(ttl, 2), Header = new ResponseHeader { Revision = Current } };
    }

    public LeaseRevokeResponse Revoke(long id)
    {
        if (!_leases.TryGetValue(id, out var lease))
        {
            throw EtcdError.LeaseNotFound.ToException();
        }

        var write = new WriteContext(this);
        foreach (string key in lease.Keys.ToList())
        {
            write.DeleteKey(key);
        }

        write.Commit();
        _leases.Remove(id);
        return new LeaseRevokeResponse { Header = new ResponseHeader { Revision = Current } };
    }

    public IEnumerable<long> LeaseIds => _leases.Keys;

    public IReadOnlyCollection<string> LeaseKeys(long id) => _leases[id].Keys;
}
