// npm etcd3 scenarios, run unchanged against cairn and real etcd; the tests compare what they print.
// One line per observation, nothing that differs between two healthy servers (no lease or member IDs, no times).
'use strict';
const { Etcd3 } = require('etcd3');

const client = new Etcd3({ hosts: process.env.ETCD_ENDPOINT });
const out = (...parts) => console.log(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const describe = (kv) => (kv ? `${kv.key.toString()}=${kv.value.toString()} create=${kv.create_revision} mod=${kv.mod_revision} ver=${kv.version}` : 'absent');

async function kvScenario() {
  await client.put('/app/a').value('1');
  await client.put('/app/b').value('2');
  await client.put('/app/c').value('3');
  await client.put('/other').value('x');
  out('get', await client.get('/app/a').string());
  out('get-missing', await client.get('/nope').string());
  out('prefix', await client.getAll().prefix('/app/').strings());
  out('prefix-keys-desc', await client.getAll().prefix('/app/').sort('Key', 'Descend').keys());
  out('prefix-count', await client.getAll().prefix('/app/').count());
  out('get-exec', describe((await client.get('/app/a').exec()).kvs[0]));
  const deleted = await client.delete().key('/app/b').getPrevious();
  out('delete-prev', deleted.map(describe));
  out('delete-missing', (await client.delete().key('/app/b').exec()).deleted);
  out('put-prev', describe((await client.put('/app/a').value('1b').getPrevious())));
  out('delete-prefix', (await client.delete().prefix('/app/').exec()).deleted);
  out('after-delete-prefix', await client.getAll().prefix('/app/').keys());
}

async function txnScenario() {
  await client.put('/txn/k').value('v1');
  const ok = await client.if('/txn/k', 'Value', '==', 'v1').and('/txn/k', 'Version', '>', 0)
    .then(client.put('/txn/k').value('v2'), client.get('/txn/k'))
    .else(client.put('/txn/failed').value('yes'))
    .commit();
  out('txn-success', ok.succeeded, ok.responses.length, describe(ok.responses[1].response_range.kvs[0]));
  const failed = await client.if('/txn/k', 'Value', '==', 'v1')
    .then(client.put('/txn/k').value('never'))
    .else(client.put('/txn/failed').value('yes'), client.delete().key('/txn/k'))
    .commit();
  out('txn-failure', failed.succeeded, failed.responses.length, await client.get('/txn/failed').string(), await client.get('/txn/k').string());
  const created = await client.if('/txn/absent', 'Create', '==', 0).then(client.put('/txn/absent').value('now')).commit();
  out('txn-create-zero', created.succeeded, await client.get('/txn/absent').string());
}

async function watchScenario() {
  const watcher = await client.watch().prefix('/watch/').create();
  const seen = [];
  watcher.on('put', (kv) => seen.push(`put ${kv.key.toString()}=${kv.value.toString()} mod=${kv.mod_revision}`));
  watcher.on('delete', (kv) => seen.push(`delete ${kv.key.toString()} mod=${kv.mod_revision}`));
  await client.put('/watch/1').value('a');
  await client.put('/watch/2').value('b');
  await client.delete().key('/watch/1');
  await until(() => seen.length >= 3, 20000, 'three watch events');
  out('watch-events', seen);
  await watcher.cancel();
  await client.put('/watch/3').value('c');
  await sleep(300);
  out('watch-after-cancel', seen.length);

  const start = Number((await client.put('/replay/k').value('first').exec()).header.revision);
  await client.put('/replay/k').value('second');
  const replay = await client.watch().key('/replay/k').startRevision(String(start)).create();
  const replayed = [];
  replay.on('put', (kv) => replayed.push(kv.value.toString()));
  await until(() => replayed.length >= 2, 20000, 'the replayed history');
  await replay.cancel();
  out('watch-replay', replayed);
}

async function leaseScenario() {
  const lease = client.lease(60, { autoKeepAlive: false });
  await lease.grant();
  await lease.put('/lease/k1').value('v');
  await lease.put('/lease/k2').value('v');
  const id = await lease.grant();
  const live = await client.leaseClient.leaseTimeToLive({ ID: id, keys: true });
  out('lease-time-to-live', live.grantedTTL, Number(live.TTL) > 0, live.keys.map((k) => k.toString()).sort());
  out('lease-keepalive-once-ttl', (await lease.keepaliveOnce()).TTL);
  out('lease-attached', (await client.get('/lease/k1').exec()).kvs[0].lease === id);
  await lease.revoke();
  out('lease-revoked-keys', await client.get('/lease/k1').string(), await client.get('/lease/k2').string());

  const short = client.lease(2, { autoKeepAlive: false });
  await short.put('/lease/short').value('v');
  out('lease-short-before', await client.get('/lease/short').string());
  await until(async () => (await client.get('/lease/short').string()) === null, 20000, 'the 2 s lease to expire');
  out('lease-short-expired', await client.get('/lease/short').string());
  const revokedAgain = await short.revoke().then(() => 'ok', (error) => error.message);
  out('lease-revoke-expired', revokedAgain);
}

async function lockScenario() {
  const lock = client.lock('resource').ttl(10);
  await lock.acquire();
  const held = (await client.get('resource').exec()).kvs[0];
  out('lock-key-held', describe(held), held.lease === (await lock.leaseId()));
  const contender = client.lock('resource').ttl(10);
  const contended = await contender.acquire().then(() => 'acquired', (error) => error.constructor.name);
  out('lock-contended', contended);
  await lock.release();
  await contender.acquire();
  out('lock-second', 'acquired');
  await contender.release();
  out('lock-do', await client.lock('resource2').do(async () => 'inside'));
}

async function electionScenario() {
  const election = client.election('leader-race');
  const campaign = election.campaign('candidate-1');
  await campaign.wait();
  out('election-leader', await election.leader());
  await campaign.resign();
  out('election-after-resign', String(await election.leader()));
}

(async () => {
  await kvScenario();
  await txnScenario();
  await watchScenario();
  await leaseScenario();
  await lockScenario();
  await electionScenario();
  out('done');
  client.close();
})().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
