#!/usr/bin/env bash
# `scout <command>` through a running daemon, next to curl against the same endpoint: wall time (and
# CPU time, user+sys, when /usr/bin/time exists) of RUNS runs each, interleaved, median and p90 in ms.
# Loopback testnet, one daemon (Alice's) and nothing else on the network.
#
#   bench/cli-daemon.sh [--runs N] [--out FILE]      (FILE: key=value lines for bench/run's report)
#
# Measured: ./scout status / id / contacts list (the launcher as users run it: CDS archive, short-command
# JVM flags, quick path), curl on /v1/status and /v1/contacts, status the way every command ran before
# the quick path (dev.scout.cli.ScoutCommand: picocli and Jackson, the same CDS archive, default JVM
# flags) and the JVM's floor (java -version with the short-command flags and the archive).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=21
OUT=""
. bench/timed-runs.sh
options "$@"
WORK=$(mktemp -d /tmp/scout-cli-bench.XXXXXX)
PIDS=()
cleanup() {
    [ -n "${A:-}" ] && [ -f "$A/daemon.json" ] && "$ROOT/scout" --state-dir "$A" stop >/dev/null 2>&1
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/scout" --version >/dev/null || exit 1 # builds the jar's CDS archive once, outside the figures
java -jar "$JAR" testnet --nodes 20 --base-port $((40000 + RANDOM % 20000)) >"$WORK/testnet.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q '^ready' "$WORK/testnet.log" && break; sleep 0.1; done
ENTRY=$(awk '/^ready/{print $2; exit}' "$WORK/testnet.log")
[ -n "$ENTRY" ] || { echo "testnet did not start:" >&2; cat "$WORK/testnet.log" >&2; exit 1; }
A=$WORK/alice; B=$WORK/bob
scout() { "$ROOT/scout" --bootstrap "$ENTRY" "$@"; }
scout --state-dir "$A" init >/dev/null && bkey=$(scout --state-dir "$B" init) || exit 1
scout --state-dir "$A" contacts add bob "$bkey" >/dev/null || exit 1
scout --state-dir "$A" daemon --poll-interval 60 >"$WORK/daemon.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do [ -f "$A/daemon.json" ] && break; sleep 0.1; done
URL=$(sed 's/.*"url":"\([^"]*\)".*/\1/' "$A/daemon.json")
TOKEN=$(sed 's/.*"token":"\([^"]*\)".*/\1/' "$A/daemon.json")
[ -n "$URL" ] || { echo "the daemon did not start:" >&2; cat "$WORK/daemon.log" >&2; exit 1; }

# The same JVM options ./scout gives a short command (its archive, if it has one).
JSA=$ROOT/scout-cli/target/scout.jsa
CDS=()
[ -f "$JSA" ] && CDS=(-XX:SharedArchiveFile="$JSA" -Xlog:cds=off -Xlog:cds+dynamic=off)
JVM=("${CDS[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData)

NAMES=(status id contacts_list curl_status curl_contacts before_status jvm_floor)
# command NAME: sets CMD to that case's command line.
command_of() {
    case "$1" in
        status) CMD=("$ROOT/scout" --bootstrap "$ENTRY" --state-dir "$A" status) ;;
        id) CMD=("$ROOT/scout" --bootstrap "$ENTRY" --state-dir "$A" id) ;;
        contacts_list) CMD=("$ROOT/scout" --bootstrap "$ENTRY" --state-dir "$A" contacts list) ;;
        curl_status) CMD=(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/v1/status") ;;
        curl_contacts) CMD=(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/v1/contacts") ;;
        before_status) CMD=(java "${CDS[@]}" -cp "$JAR" dev.scout.cli.ScoutCommand --state-dir "$A" --bootstrap "$ENTRY" status) ;;
        jvm_floor) CMD=(java "${JVM[@]}" -cp "$JAR" -version) ;;
    esac
}
for name in "${NAMES[@]}"; do
    command_of "$name"
    "${CMD[@]}" >/dev/null 2>&1 || { echo "$name failed:" >&2; "${CMD[@]}" >&2; exit 1; }
done
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -f "%U %S" -o "$WORK/cpu")
LOAD_START=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
for _ in $(seq 1 "$RUNS"); do
    for name in "${NAMES[@]}"; do
        command_of "$name"
        t0=$(date +%s%N)
        "${TIME[@]}" "${CMD[@]}" >/dev/null 2>&1
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 )) >>"$WORK/$name.wall"
        [ ${#TIME[@]} -gt 0 ] && awk '{printf "%d\n", ($1 + $2) * 1000}' "$WORK/cpu" >>"$WORK/$name.cpu"
    done
done
LOAD_END=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)

report cli "$RUNS" "$LOAD_START" "$LOAD_END" "$OUT" "${NAMES[@]}"
exit 0
