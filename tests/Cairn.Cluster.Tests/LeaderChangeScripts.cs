namespace Cairn.Cluster.Tests;

/// <summary>The python3 script of <see cref="LeaderChangeScenarios"/> (python3-etcd3's raw gRPC stubs, so every read is
/// one attempt and its gRPC code and message are seen as the server sent them).</summary>
internal static class LeaderChangeScripts
{
    /// <summary>
    /// Two threads per member (ENDPOINTS, comma-separated host:port) read one key linearizably in a loop while the main
    /// thread hands leadership to the next member with MoveLeader and waits until every member agrees on it; it stops
    /// once a read failed with "leader changed" after at least three moves, or after twenty moves or 30 s. Prints
    /// JSON: moves, each outcome ("OK" or "CODE message") with its count, and the slowest read in seconds.
    /// </summary>
    public const string ReadsAcrossLeaderMoves = """
        import os, sys, json, time, threading, grpc
        import etcd3.etcdrpc as r
        channels = [grpc.insecure_channel(e) for e in os.environ['ENDPOINTS'].split(',')]
        kvs = [r.KVStub(c) for c in channels]
        maintenance = [r.MaintenanceStub(c) for c in channels]
        kvs[0].Put(r.PutRequest(key=b'lc', value=b'1'), timeout=20)
        stop, lock, outcomes, slowest = threading.Event(), threading.Lock(), {}, [0.0]
        LEADER_CHANGED = 'UNAVAILABLE etcdserver: leader changed'

        def read_until_stopped(kv):
            while not stop.is_set():
                start = time.time()
                try:
                    kv.Range(r.RangeRequest(key=b'lc'), timeout=20)
                    outcome = 'OK'
                except grpc.RpcError as e:
                    outcome = '%s %s' % (e.code().name, e.details())
                with lock:
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
                    slowest[0] = max(slowest[0], time.time() - start)

        def agreed_leader():
            deadline = time.time() + 20
            while time.time() < deadline:
                seen = []
                for m in maintenance:
                    try:
                        status = m.Status(r.StatusRequest(), timeout=2)
                        seen.append((status.header.member_id, status.leader))
                    except grpc.RpcError:
                        seen.append((0, 0))
                leaders = {leader for _, leader in seen}
                if len(leaders) == 1 and 0 not in leaders:
                    return [member for member, _ in seen], leaders.pop()
                time.sleep(0.05)
            print(json.dumps({'error': 'the members did not agree on a leader within 20 s'}))
            sys.exit(1)

        readers = [threading.Thread(target=read_until_stopped, args=(kv,), daemon=True) for kv in kvs for _ in range(2)]
        for t in readers:
            t.start()
        moves, started = 0, time.time()
        while moves < 20 and time.time() - started < 30:
            members, leader = agreed_leader()
            at = members.index(leader)
            maintenance[at].MoveLeader(r.MoveLeaderRequest(targetID=members[(at + 1) % len(members)]), timeout=20)
            agreed_leader()
            moves += 1
            time.sleep(0.2)
            with lock:
                if moves >= 3 and outcomes.get(LEADER_CHANGED, 0) > 0:
                    break
        stop.set()
        for t in readers:
            t.join(25)
        print(json.dumps({'moves': moves, 'outcomes': outcomes, 'slowest': slowest[0]}))
        """;
}
