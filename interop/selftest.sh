#!/usr/bin/env bash
# Self-test for interop/lt_nodes.py: 10 libtorrent DHT nodes on
# 127.0.0.1:47000-47009 (plus 127.0.0.1:6881 for the announce helper),
# driven through the JSON-lines protocol exactly as the Java tests will.
# Every wait is bounded: each command carries a timeout and every read of a
# reply has a deadline.  Prints the duration of each step; exit 0 = passed.
set -euo pipefail

cd "$(dirname "$0")/.."
PY=/usr/bin/python3                 # Debian's python, the one with libtorrent
BASE_PORT=${BASE_PORT:-47000}
NODES=10
CMD_TIMEOUT=20                      # seconds, sent with each command
READ_TIMEOUT=$((CMD_TIMEOUT + 10))  # seconds to wait for any reply line

LOG=$(mktemp /tmp/lt_nodes_selftest.XXXXXX)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
    fi
    rm -f "$LOG"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    echo "---- lt_nodes.py stderr ----" >&2
    tail -n 40 "$LOG" >&2 || true
    exit 1
}

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
T_ALL=$(now_ms)
T_STEP=$T_ALL
step_done() {
    local t; t=$(now_ms)
    printf '  %-62s %6d ms  (lt_nodes: %d ms)\n' "$1" $((t - T_STEP)) "$STEP_LT_MS"
    T_STEP=$t
    STEP_LT_MS=0
}

coproc LT { exec "$PY" interop/lt_nodes.py --nodes "$NODES" --base-port "$BASE_PORT" 2>"$LOG"; }
SERVER_PID=$LT_PID
exec {LT_IN}>&"${LT[1]}" {LT_OUT}<&"${LT[0]}"

NEXT_ID=0
R=""            # the last reply
STEP_LT_MS=0    # time lt_nodes.py itself spent on this step's commands
# call '{"cmd":...}' -> sends it with an id and a timeout, leaves the reply in $R
call() {
    NEXT_ID=$((NEXT_ID + 1))
    local req="{\"id\":$NEXT_ID,\"timeout\":$CMD_TIMEOUT,${1#\{}"
    printf '%s\n' "$req" >&"$LT_IN"
    IFS= read -r -t "$READ_TIMEOUT" R <&"$LT_OUT" || fail "no reply within ${READ_TIMEOUT}s to $req"
    [[ $R =~ ^\{\"id\":$NEXT_ID[,}] ]] || fail "reply id mismatch for $req: $R"
    [[ $R =~ \"elapsed_ms\":([0-9]+) ]] && STEP_LT_MS=$((STEP_LT_MS + BASH_REMATCH[1]))
    [[ -z "${SELFTEST_DEBUG:-}" ]] || echo "    > $req"$'\n'"    < $R" | cut -c1-240
}
# expect 'jq-expression' 'what' -> fails the test unless the expression holds for $R
expect() { jq -e "$1" <<<"$R" >/dev/null || fail "$2: $R"; }

echo "lt_nodes selftest: $NODES nodes on 127.0.0.1:$BASE_PORT-$((BASE_PORT + NODES - 1))"

# ---- startup ----------------------------------------------------------------
IFS= read -r -t 60 R <&"$LT_OUT" || fail "no ready line within 60s"
expect '.event == "ready" and (.nodes | length) == '"$NODES" "bad ready line"
expect '[.nodes[].node_id | test("^[0-9a-f]{40}$")] | all' "bad node ids"
step_done "startup (ready event)"

# ---- routing tables: every node must know some other node -------------------
deadline=$(( $(now_ms) + 20000 ))
for i in $(seq 0 $((NODES - 1))); do
    while :; do
        call '{"cmd":"routing_table","node":'"$i"'}'
        [[ $R =~ \"count\":([0-9]+) && $R == *'"ok":true'* ]] || fail "routing_table $i: $R"
        (( BASH_REMATCH[1] > 0 )) && break
        (( $(now_ms) < deadline )) || fail "node $i routing table still empty"
        sleep 0.2                         # pause between polls (bounded by deadline)
    done
done
call '{"cmd":"stats","node":0}'
expect '.ok and .live_nodes > 0' "stats"
step_done "routing tables non-empty on all $NODES nodes"

# ---- immutable: put via node 0, get via node 7 -------------------------------
VALUE_B64=$(printf '12:Hello World!' | base64 -w0)
call '{"cmd":"put_immutable","node":0,"value_b64":"'"$VALUE_B64"'"}'
expect '.ok and .target == "e5f96f6f38320f0f33959cb4d3d656452117aadb" and .num_success > 0' "put_immutable"
step_done "put_immutable via node 0 ($(jq .num_success <<<"$R") stored it)"

call '{"cmd":"get_immutable","node":7,"target":"e5f96f6f38320f0f33959cb4d3d656452117aadb"}'
expect '.ok and .found and .value_b64 == "'"$VALUE_B64"'"' "get_immutable"
step_done "get_immutable via node 7"

# a non-string value (read from the response packets, not the alert)
DICT_B64=$(printf 'd4:listli1ei2ee4:name5:scoute' | base64 -w0)
DICT_TARGET=$(printf 'd4:listli1ei2ee4:name5:scoute' | sha1sum | cut -d' ' -f1)
call '{"cmd":"put_immutable","node":4,"value_b64":"'"$DICT_B64"'"}'
expect '.ok and .target == "'"$DICT_TARGET"'"' "put_immutable dict"
call '{"cmd":"get_immutable","node":8,"target":"'"$DICT_TARGET"'"}'
expect '.ok and .found and .value_b64 == "'"$DICT_B64"'"' "get_immutable dict"
call '{"cmd":"get_immutable","node":8,"target":"00112233445566778899aabbccddeeff00112233"}'
expect '.ok and (.found | not) and .value_b64 == null' "get_immutable missing"
step_done "immutable dict put/get + a missing target"

# ---- mutable: BEP 44 test vector with salt, put via node 2, get via node 9 ---
# (the correct signature ends ...f14951a87d9a08; libtorrent's own test_dht.cpp
#  and RFC 8032 arithmetic agree on it)
PK=77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548
SK=e06d3183d14159228433ed599221b80bd0a5ce8352e4bdf0262f76786ef1c74db7e7a9fea2c0eb269d61e3b38e450a22e754941ac78479d6c54e1faf6037881d
SIG=6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17ddf9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08
SALT=$(printf foobar | od -An -tx1 | tr -d ' \n')
call '{"cmd":"put_mutable","node":2,"sk64_hex":"'"$SK"'","pk_hex":"'"$PK"'","salt_hex":"'"$SALT"'","value_b64":"'"$VALUE_B64"'","seq":1}'
expect '.ok and .target == "411eba73b6f087ca51a3795d9c8c938d365e32c1" and .seq == 1' "put_mutable"
expect '.signature_hex == "'"$SIG"'" and .num_success > 0' "put_mutable signature"
step_done "put_mutable BEP 44 vector (salt) via node 2, seq checked"

call '{"cmd":"get_mutable","node":9,"pk_hex":"'"$PK"'","salt_hex":"'"$SALT"'"}'
expect '.ok and .found and .authoritative and .seq == 1 and .value_b64 == "'"$VALUE_B64"'"' "get_mutable"
expect '.signature_hex == "'"$SIG"'" and .target == "411eba73b6f087ca51a3795d9c8c938d365e32c1"' "get_mutable sig"
step_done "get_mutable via node 9 (authoritative)"

# seed-derived key, and libtorrent's own seq choice on a second put
SEED=0101010101010101010101010101010101010101010101010101010101010101
V2_B64=$(printf '5:first' | base64 -w0)
V3_B64=$(printf '6:second' | base64 -w0)
call '{"cmd":"put_mutable","node":3,"seed_hex":"'"$SEED"'","value_b64":"'"$V2_B64"'"}'
expect '.ok and .seq == 1' "put_mutable seed"
SEED_PK=$(jq -r .public_key_hex <<<"$R")
call '{"cmd":"put_mutable","node":6,"seed_hex":"'"$SEED"'","value_b64":"'"$V3_B64"'"}'
expect '.ok and .seq == 2' "second put_mutable picks seq 2"
call '{"cmd":"get_mutable","node":8,"pk_hex":"'"$SEED_PK"'","salt_hex":"","min_seq":2,"retry":true}'
expect '.ok and .seq == 2 and .value_b64 == "'"$V3_B64"'"' "get_mutable seq 2"
step_done "seed-derived key: two puts (seq 1, 2) and a get"

# ---- announce via node 1, get_peers via node 5 --------------------------------
IH=5f5c0d3d1d0b1b6a3c2e4f1a0b9c8d7e6f5a4b3c
call '{"cmd":"announce","node":1,"info_hash":"'"$IH"'","port":6881}'
expect '.ok and .port == 6881 and .num_success > 0' "announce port 6881"
step_done "announce port 6881 via node 1 ($(jq .num_success <<<"$R") acks, via $(jq -r .via <<<"$R"))"

call '{"cmd":"get_peers","node":5,"info_hash":"'"$IH"'","expect":["127.0.0.1:6881"]}'
expect '.ok and (.peers | index("127.0.0.1:6881"))' "get_peers 6881"
step_done "get_peers via node 5 finds 127.0.0.1:6881"

call '{"cmd":"announce","node":1,"info_hash":"'"$IH"'"}'
expect '.ok and .port == '"$((BASE_PORT + 1))"' and .implied_port and .via == "node"' "announce own port"
call '{"cmd":"get_peers","node":5,"info_hash":"'"$IH"'","expect":["127.0.0.1:'"$((BASE_PORT + 1))"'"]}'
expect '.ok and (.peers | index("127.0.0.1:6881")) and (.peers | index("127.0.0.1:'"$((BASE_PORT + 1))"'"))' "get_peers both"
step_done "announce node 1's own port + get_peers finds both"

# ---- errors never kill the process --------------------------------------------
call '{"cmd":"no_such_command"}'
expect '(.ok | not) and (.error | length > 0)' "unknown command"
call '{"cmd":"routing_table","node":99}'
expect '(.ok | not)' "bad node"
call '{"cmd":"add_node","node":0,"addr":"10.0.0.1:6881"}'
expect '(.ok | not)' "non-loopback address"
call '{"cmd":"put_mutable","node":0,"seed_hex":"'"$SEED"'","value_b64":"'"$(printf 'i5e' | base64 -w0)"'"}'
expect '(.ok | not)' "non-string mutable value"
step_done "error replies"

# ---- quit -----------------------------------------------------------------------
call '{"cmd":"quit"}'
expect '.ok' "quit"
# stdout reaches EOF when the process exits; give it 10 s
rc=0
IFS= read -r -t 10 extra <&"$LT_OUT" || rc=$?
(( rc != 0 )) || fail "unexpected output after quit: $extra"
(( rc <= 128 )) || fail "lt_nodes.py still running 10s after quit"
wait "$SERVER_PID" && rc=0 || rc=$?
[[ $rc -eq 0 ]] || fail "lt_nodes.py exit status $rc"
SERVER_PID=""
step_done "quit (clean exit 0)"

echo "PASS in $(( $(now_ms) - T_ALL )) ms"
