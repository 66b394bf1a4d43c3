#!/usr/bin/env bash
# Drives the JSON gateway with curl, the way Patroni and shell scripts do; run unchanged against cairn and real
# etcd, the tests compare what it prints (after normalizing member, cluster and lease IDs).
# Usage: gateway.sh http://127.0.0.1:PORT
set -uo pipefail
readonly url="$1"

# call NAME PATH BODY: prints "### NAME", the HTTP status and the body.
call() {
  printf '### %s\n' "$1"
  curl -sS -o /tmp/gateway.$$.body -w '%{http_code} %{content_type}\n' -X POST -H 'Content-Type: application/json' \
    --data-binary "$3" "$url$2"
  cat /tmp/gateway.$$.body
  printf '\n'
}

get() {
  printf '### %s\n' "$1"
  curl -sS -o /tmp/gateway.$$.body -w '%{http_code} %{content_type}\n' "$url$2"
  cat /tmp/gateway.$$.body
  printf '\n'
}
trap 'rm -f /tmp/gateway.$$.body' EXIT

# base64: foo=Zm9v bar=YmFy baz=YmF6 a=YQ== b=Yg== c=Yw== x=eA== y=eQ==
get version /version
get health /health
call member-list /v3/cluster/member/list '{}'
call put-foo /v3/kv/put '{"key":"Zm9v","value":"YmFy"}'
call put-foo-prev /v3/kv/put '{"key":"Zm9v","value":"YmF6","prev_kv":true}'
call put-a /v3/kv/put '{"key":"YQ==","value":"eA=="}'
call put-b /v3/kv/put '{"key":"Yg==","value":"eQ=="}'
call range-foo /v3/kv/range '{"key":"Zm9v"}'
call range-missing /v3/kv/range '{"key":"bm9wZQ=="}'
call range-a-to-c /v3/kv/range '{"key":"YQ==","range_end":"Yw=="}'
call range-count-only /v3/kv/range '{"key":"YQ==","range_end":"Yw==","count_only":true}'
call range-keys-only-limit /v3/kv/range '{"key":"AA==","range_end":"AA==","keys_only":true,"limit":1,"sort_order":"DESCEND","sort_target":"KEY"}'
call range-old-revision /v3/kv/range '{"key":"Zm9v","revision":2}'
call range-future-revision /v3/kv/range '{"key":"Zm9v","revision":1000}'
call txn-success /v3/kv/txn '{"compare":[{"key":"Zm9v","result":"EQUAL","target":"VALUE","value":"YmF6"}],"success":[{"request_put":{"key":"Zm9v","value":"YmFy"}},{"request_range":{"key":"Zm9v"}}],"failure":[{"request_delete_range":{"key":"Zm9v"}}]}'
call txn-failure /v3/kv/txn '{"compare":[{"key":"Zm9v","result":"EQUAL","target":"VERSION","version":"99"}],"success":[],"failure":[{"request_range":{"key":"YQ=="}}]}'
call txn-create-zero /v3/kv/txn '{"compare":[{"key":"bmV3","target":"CREATE","create_revision":"0"}],"success":[{"request_put":{"key":"bmV3","value":"eA=="}}]}'
call deleterange-a /v3/kv/deleterange '{"key":"YQ==","prev_kv":true}'
call deleterange-missing /v3/kv/deleterange '{"key":"YQ=="}'
call lease-grant /v3/lease/grant '{"TTL":30,"ID":4242}'
call lease-put /v3/kv/put '{"key":"bGVhc2Vk","value":"eA==","lease":4242}'
call lease-keepalive /v3/lease/keepalive '{"ID":4242}'
call lease-timetolive /v3/kv/lease/timetolive '{"ID":4242,"keys":true}'
call lease-leases /v3/lease/leases '{}'
call lease-revoke /v3/kv/lease/revoke '{"ID":4242}'
call lease-range-after-revoke /v3/kv/range '{"key":"bGVhc2Vk"}'
call lease-keepalive-unknown /v3/lease/keepalive '{"ID":4242}'
call lease-put-unknown /v3/kv/put '{"key":"bGVhc2Vk","value":"eA==","lease":777}'
call compact-future /v3/kv/compaction '{"revision":1000}'
call bad-json /v3/kv/put '{bad json'
call bad-json-after-key /v3/kv/put '{"key" "Zm9v"}'
call bad-json-after-pair /v3/kv/put '{"key":"Zm9v" "value":"YmFy"}'
call bad-json-literal /v3/kv/put '{"key":"Zm9v","prev_kv":tru}'
call bad-json-number /v3/kv/put '{"key":"Zm9v","lease":-x}'
call bad-json-array /v3/kv/txn '{"compare":[{} {}]}'
call bad-json-escape /v3/kv/put '{"key":"\q"}'
call bad-json-unicode /v3/kv/put '{"key":"\u12x4"}'
call bad-json-value /v3/kv/put '{"key":}'
call truncated-json /v3/kv/put '{"key":"Zm9v"'
call empty-body /v3/kv/range ''
call empty-key /v3/kv/put '{"key":"","value":"eA=="}'
call unknown-field /v3/kv/range '{"key":"Zm9v","no_such_field":1}'
call unknown-path /v3/kv/nothing '{}'

# wait_for FILE TEXT: polls (up to 20 s) until FILE contains TEXT; no fixed sleeps, so a loaded machine is only slower.
wait_for() {
  local tries
  for ((tries = 0; tries < 200; tries++)); do
    grep -q -F -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for $2 in $1" >&2
  return 1
}

# Streaming watch, live: the created event, then the events of two puts and a delete, each a JSON object per chunk.
# The writes start only once the created line arrived, so both servers see the same sequence however slow they are.
printf '### %s\n' watch-stream
watch_output=/tmp/gateway.$$.watch
curl -sS -N --max-time 60 -X POST --data-binary '{"create_request":{"key":"dw==","range_end":"eA==","prev_kv":true}}' \
  "$url/v3/watch" > "$watch_output" &
watcher=$!
wait_for "$watch_output" '"created":true'
curl -sS -o /dev/null -X POST --data-binary '{"key":"dzE=","value":"eA=="}' "$url/v3/kv/put"
curl -sS -o /dev/null -X POST --data-binary '{"key":"dzE=","value":"eQ=="}' "$url/v3/kv/put"
curl -sS -o /dev/null -X POST --data-binary '{"key":"dzE="}' "$url/v3/kv/deleterange"
wait_for "$watch_output" '"type":"DELETE"'
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
cat "$watch_output"
printf '\n'

# Streaming watch from a past revision (2, the first write of the script): the whole history of w1, replayed.
printf '### %s\n' watch-replay
# A new file: the backgrounded curl may not have truncated the old one yet when wait_for first looks at it.
rm -f "$watch_output"
watch_output=/tmp/gateway.$$.replay
curl -sS -N --max-time 60 -X POST --data-binary '{"create_request":{"key":"dzE=","start_revision":"2"}}' \
  "$url/v3/watch" > "$watch_output" &
watcher=$!
wait_for "$watch_output" '"type":"DELETE"'
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
cat "$watch_output"
rm -f "$watch_output"
printf '\n'
