namespace Cairn.Cluster.Tests;

/// <summary>The python3 scripts of <see cref="LeaderLossScenarios"/> (python3-etcd3 and its raw gRPC stubs).</summary>
internal static class LeaderLossScripts
{
    /// <summary>
    /// Lease calls with python3-etcd3 against one member: grant, attach a key, keepalive, then (2.5 s later) the
    /// time-to-live with keys. Prints JSON: id, keepalive TTL, remaining TTL, granted TTL, keys.
    /// </summary>
    public const string LeaseCalls = """
        import os, json, time, etcd3
        c = etcd3.client(host=os.environ['ETCD_HOST'], port=int(os.environ['ETCD_PORT']))
        lease = c.lease(60)
        c.put('py/leased', 'v', lease=lease)
        kept = [r.TTL for r in c.refresh_lease(lease.id)]
        time.sleep(2.5)
        info = c.get_lease_info(lease.id)
        print(json.dumps({'id': lease.id, 'keepalive': kept, 'remaining': info.TTL, 'granted': info.grantedTTL,
                          'keys': [k.decode() for k in info.keys]}))
        """;

    /// <summary>
    /// Against one member, with raw gRPC stubs so every call is one attempt: opens a watch and a keepalive stream with
    /// <c>hasleader: true</c>,
    /// SIGSTOPs the members in STOP_PIDS, waits for both streams to end, then makes every kind of call at once and records
    /// each one's gRPC code, message and duration; SIGCONTs the members. Prints JSON keyed by call.
    /// </summary>
    public const string WithoutQuorum = """
        import os, sys, json, time, signal, threading, grpc
        import etcd3.etcdrpc as r
        ch = grpc.insecure_channel('%s:%s' % (os.environ['ETCD_HOST'], os.environ['ETCD_PORT']))
        kv, leases, watch = r.KVStub(ch), r.LeaseStub(ch), r.WatchStub(ch)
        pids = [int(p) for p in os.environ['STOP_PIDS'].split(',')]
        lease_id = leases.LeaseGrant(r.LeaseGrantRequest(TTL=60), timeout=20).ID
        kv.Put(r.PutRequest(key=b'nq', value=b'1'), timeout=20)
        out, created, kept, finished, t0 = {}, threading.Event(), threading.Event(), threading.Event(), [time.time()]

        def watch_requests():
            yield r.WatchRequest(create_request=r.WatchCreateRequest(key=b'nq'))
            finished.wait()

        def keepalive_requests():
            yield r.LeaseKeepAliveRequest(ID=lease_id)
            finished.wait()

        def run_keepalive_stream():
            try:
                for resp in leases.LeaseKeepAlive(keepalive_requests(), metadata=[('hasleader', 'true')]):
                    if resp.TTL == 60:
                        kept.set()
                out['keepalive_stream'] = {'code': 'ENDED', 'details': '', 'elapsed': time.time() - t0[0]}
            except grpc.RpcError as e:
                out['keepalive_stream'] = {'code': e.code().name, 'details': e.details(), 'elapsed': time.time() - t0[0]}

        def run_watch():
            try:
                for resp in watch.Watch(watch_requests(), metadata=[('hasleader', 'true')]):
                    if resp.created:
                        created.set()
                    if resp.canceled:
                        out['watch'] = {'code': 'CANCELED', 'details': resp.cancel_reason, 'elapsed': time.time() - t0[0]}
                        return
                out['watch'] = {'code': 'ENDED', 'details': '', 'elapsed': time.time() - t0[0]}
            except grpc.RpcError as e:
                out['watch'] = {'code': e.code().name, 'details': e.details(), 'elapsed': time.time() - t0[0]}

        def call(name, f):
            start = time.time()
            try:
                f()
                out[name] = {'code': 'OK', 'details': '', 'elapsed': time.time() - start}
            except grpc.RpcError as e:
                out[name] = {'code': e.code().name, 'details': e.details(), 'elapsed': time.time() - start}

        watcher = threading.Thread(target=run_watch, daemon=True)
        watcher.start()
        keeper = threading.Thread(target=run_keepalive_stream, daemon=True)
        keeper.start()
        if not created.wait(20) or not kept.wait(20):
            print(json.dumps({'error': 'the watch or the keepalive stream did not start'}))
            os._exit(1)
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        try:
            t0[0] = time.time()
            watcher.join(30)
            keeper.join(30)
            calls = {
                'put': lambda: kv.Put(r.PutRequest(key=b'nq', value=b'2'), timeout=30),
                'range': lambda: kv.Range(r.RangeRequest(key=b'nq'), timeout=30),
                'range_serializable': lambda: kv.Range(r.RangeRequest(key=b'nq', serializable=True), timeout=30),
                'range_serializable_hasleader': lambda: kv.Range(r.RangeRequest(key=b'nq', serializable=True), timeout=30,
                                                                 metadata=[('hasleader', 'true')]),
                'keepalive': lambda: next(leases.LeaseKeepAlive(iter([r.LeaseKeepAliveRequest(ID=lease_id)]), timeout=30)),
                'timetolive': lambda: leases.LeaseTimeToLive(r.LeaseTimeToLiveRequest(ID=lease_id), timeout=30),
                'leases': lambda: leases.LeaseLeases(r.LeaseLeasesRequest(), timeout=30),
                'grant': lambda: leases.LeaseGrant(r.LeaseGrantRequest(TTL=10), timeout=30),
            }
            threads = [threading.Thread(target=call, args=item) for item in calls.items()]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            for p in pids:
                os.kill(p, signal.SIGCONT)
        finished.set()
        print(json.dumps(out))
        sys.stdout.flush()
        os._exit(0)
        """;
}
