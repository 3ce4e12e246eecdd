#!/usr/bin/env bash
# Wall time of `scout` commands with and without a daemon, on a loopback testnet (127.0.0.1 only).
# Usage: bench/cli-wall-time.sh [RUNS] [BASE_PORT]      (defaults: 5 runs, ports 48000..48041)
# Prints one line per command and mode: median and min/max of RUNS runs, in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
base=${2:-48000}
jar=scout-cli/target/scout.jar
[ -f "$jar" ] || { echo "build first: mvn -q install -DskipTests" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# Through ./scout, as a user runs it (with its class-data-sharing archive).
scout() { ./scout --bootstrap "127.0.0.1:$base" "$@"; }

java -jar "$jar" testnet --nodes 40 --base-port "$base" > "$work/testnet.log" 2>&1 &
pids+=($!)
until grep -q '^ready' "$work/testnet.log"; do sleep 0.2; done

A="$work/alice"; B="$work/bob"
akey=$(scout --state-dir "$A" init); bkey=$(scout --state-dir "$B" init)
scout --state-dir "$A" contacts add bob "$bkey" > /dev/null
scout --state-dir "$B" contacts add alice "$akey" > /dev/null
scout --state-dir "$B" sync > /dev/null

ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
measure() { # mode, label, command...
    local mode=$1 label=$2; shift 2
    local times=()
    for _ in $(seq "$runs"); do times+=("$(ms "$@")"); done
    local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    printf '%-10s %-22s median %5d ms   min %5d   max %5d\n' "$mode" "$label" \
        "$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")" "$(echo "$sorted" | head -1)" "$(echo "$sorted" | tail -1)"
}
suite() {
    local mode=$1
    measure "$mode" "id" scout --state-dir "$A" id
    measure "$mode" "status" scout --state-dir "$A" status
    measure "$mode" "sync bob" scout --state-dir "$A" sync bob
    measure "$mode" "send bob TEXT" scout --state-dir "$A" send bob "benchmark message"
    measure "$mode" "inbox (bob)" scout --state-dir "$B" inbox
    measure "$mode" "dht put VALUE" scout --state-dir "$A" dht put "benchmark value"
}

measure "baseline" "--version (JVM only)" ./scout --version
suite "no-daemon"
scout --state-dir "$A" --port $((base + 100)) daemon --poll-interval 60 > "$work/alice.log" 2>&1 &
pids+=($!)
scout --state-dir "$B" --port $((base + 101)) daemon --poll-interval 60 > "$work/bob.log" 2>&1 &
pids+=($!)
until [ -f "$A/daemon.json" ] && [ -f "$B/daemon.json" ] && scout --state-dir "$A" status > /dev/null 2>&1 \
        && scout --state-dir "$B" status > /dev/null 2>&1; do sleep 0.2; done
suite "daemon"
# The daemon's own share: the same operations as plain HTTP calls (no JVM to start).
url=$(sed 's/.*"url":"\([^"]*\)".*/\1/' "$A/daemon.json")
token=$(sed 's/.*"token":"\([^"]*\)".*/\1/' "$A/daemon.json")
burl=$(sed 's/.*"url":"\([^"]*\)".*/\1/' "$B/daemon.json")
btoken=$(sed 's/.*"token":"\([^"]*\)".*/\1/' "$B/daemon.json")
api() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
measure "curl" "GET /v1/health" api "$token" "$url/v1/health"
measure "curl" "POST /v1/sync" api "$token" -d '{"contacts":["bob"]}' "$url/v1/sync"
measure "curl" "POST /v1/messages" api "$token" -d '{"contact":"bob","text":"benchmark message"}' "$url/v1/messages"
measure "curl" "POST /v1/inbox (bob)" api "$btoken" -d '{}' "$burl/v1/inbox"
measure "curl" "POST /v1/dht/put" api "$token" -d '{"value":"benchmark value"}' "$url/v1/dht/put"
scout --state-dir "$A" stop > /dev/null
scout --state-dir "$B" stop > /dev/null
