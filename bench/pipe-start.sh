#!/usr/bin/env bash
# How long `scout pipe NAME` takes from its launch to its request at the daemon (POST /v1/sessions):
# the part of a first connect's "first byte" that is the command's own start-up (JVM, class loading,
# argument parsing, finding the daemon), wall time and CPU time (user+sys) of RUNS runs each,
# interleaved, median and p90 in ms. The daemon is a stand-in (python3, loopback, no DHT) that notes
# when each POST /v1/sessions arrives and answers it as the real one answers an unknown contact, so
# the pipe ends at once: no network, no session, only the start-up.
#
#   bench/pipe-start.sh [--runs N] [--before JAR] [--out FILE]   (FILE: key=value lines)
#
# Cases: pipe      ./scout pipe nobody (the launcher as users run it: CDS archive, JVM flags, quick path)
#        natlab    java -cp scout.jar dev.scout.cli.quick.QuickMain with the NAT lab's JVM options
#                  (ScoutLab.FAST_START, no CDS archive), as NatLabTest starts its pipes
#        before    with --before JAR: that scout.jar as the launcher ran it until now (its own CDS
#                  archive, made here by its CdsTraining; default JVM flags)
#        jvm_floor java -version with the launcher's short-command flags and archive
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=21
OUT=""
BEFORE=""
. bench/timed-runs.sh
options "$@"
command -v python3 >/dev/null || { echo "python3 is needed for the stand-in daemon" >&2; exit 1; }
WORK=$(mktemp -d /tmp/scout-pipe-start.XXXXXX)
DAEMON_PID=""
cleanup() {
    [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/scout" --version >/dev/null || exit 1 # builds the jar's CDS archive once, outside the figures
STATE=$WORK/state
mkdir -p "$STATE"
cat >"$WORK/daemon.py" <<'PY'
import http.server, json, os, sys, time
state = sys.argv[1]
class Api(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        ok = self.headers.get("Authorization") == "Bearer bench" and self.path == "/v1/health"
        self.answer(200 if ok else 404, {"status": "ok"} if ok else {"error": "no such path"})
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/v1/sessions":
            with open(os.path.join(state, "arrivals"), "a") as f:
                f.write("%d\n" % time.time_ns())
        self.answer(404, {"error": "unknown contact nobody"})
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
with open(os.path.join(state, "daemon.json.tmp"), "w") as f:
    json.dump({"url": "http://127.0.0.1:%d" % server.server_port, "token": "bench", "pid": os.getpid()}, f)
os.rename(os.path.join(state, "daemon.json.tmp"), os.path.join(state, "daemon.json"))
server.serve_forever()
PY
python3 "$WORK/daemon.py" "$STATE" &
DAEMON_PID=$!
for _ in $(seq 1 100); do [ -f "$STATE/daemon.json" ] && break; sleep 0.1; done
[ -f "$STATE/daemon.json" ] || { echo "the stand-in daemon did not start" >&2; exit 1; }

JSA=$ROOT/scout-cli/target/scout.jsa
CDS=()
[ -f "$JSA" ] && CDS=(-XX:SharedArchiveFile="$JSA" -Xlog:cds=off -Xlog:cds+dynamic=off)
NAMES=(pipe natlab jvm_floor)
if [ -n "$BEFORE" ]; then
    [ -f "$BEFORE" ] || { echo "no $BEFORE" >&2; exit 1; }
    cp "$BEFORE" "$WORK/before.jar"
    mkdir -p "$WORK/training"
    java -XX:ArchiveClassesAtExit="$WORK/before.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$WORK/before.jar" \
        dev.scout.cli.quick.CdsTraining "$WORK/training" >/dev/null 2>&1 || { echo "no CDS archive for $BEFORE" >&2; exit 1; }
    NAMES+=(before)
fi
# command NAME: sets CMD to that case's command line.
command_of() {
    case "$1" in
        pipe) CMD=("$ROOT/scout" --state-dir "$STATE" pipe nobody) ;;
        natlab) CMD=(java -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$JAR" dev.scout.cli.quick.QuickMain
            --state-dir "$STATE" pipe nobody) ;;
        before) CMD=(java -XX:SharedArchiveFile="$WORK/before.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$WORK/before.jar"
            --state-dir "$STATE" pipe nobody) ;;
        jvm_floor) CMD=(java "${CDS[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -cp "$JAR" -version) ;;
    esac
}
for name in "${NAMES[@]}"; do
    command_of "$name"
    line=$("${CMD[@]}" 2>&1 </dev/null)
    [ "$name" = jvm_floor ] || [ "$line" = "scout: unknown contact nobody" ] \
        || { echo "$name: expected the daemon's error, got: $line" >&2; exit 1; }
done
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -f "%U %S" -o "$WORK/cpu")
now_ns() { local t=$EPOCHREALTIME; echo "${t%.*}${t#*.}000"; }
LOAD_START=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
for _ in $(seq 1 "$RUNS"); do
    for name in "${NAMES[@]}"; do
        command_of "$name"
        : >"$STATE/arrivals"
        t0=$(now_ns)
        "${TIME[@]}" "${CMD[@]}" >/dev/null 2>&1 </dev/null
        t1=$(now_ns)
        if [ "$name" = jvm_floor ]; then
            echo $(( (t1 - t0) / 1000000 )) >>"$WORK/$name.wall"
        else
            arrived=$(tail -n 1 "$STATE/arrivals")
            [ -n "$arrived" ] || { echo "$name: no POST /v1/sessions arrived" >&2; exit 1; }
            echo $(( (arrived - t0) / 1000000 )) >>"$WORK/$name.wall"
        fi
        [ ${#TIME[@]} -gt 0 ] && tail -n 1 "$WORK/cpu" | awk '{printf "%d\n", ($1 + $2) * 1000}' >>"$WORK/$name.cpu"
    done
done
LOAD_END=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)

echo "launch to POST /v1/sessions at the daemon (jvm_floor: launch to exit)"
report pipe_start "$RUNS" "$LOAD_START" "$LOAD_END" "$OUT" "${NAMES[@]}"
exit 0
