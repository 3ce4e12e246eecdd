#!/usr/bin/python3
"""One libtorrent DHT node on 127.0.0.1:PORT as a query-throughput target.

    /usr/bin/python3 bench/lt_server.py PORT [FAKE_NODES FAKE_PORT]     (PORT 0 = any free port)

With FAKE_NODES, the node is told about 127.0.1.1..127.0.1.N:FAKE_PORT (the load
generator's fake nodes) with add_dht_node -- a ping, so each enters the routing
table once it answers -- a few times during the first seconds.  libtorrent only
pings nodes that merely queried it one at a time on its refresh timer, so
without this its answers would carry almost no nodes.

Rate limits are lifted (dht_block_ratelimit, dht_upload_rate_limit) and the
loopback settings of interop/lt_nodes.py are applied.  Prints "READY PORT"
once the DHT is running, then waits for stdin to close and prints the DHT
counters libtorrent keeps (messages in / out / dropped).
"""
import select
import sys
import time

import libtorrent as lt


def main():
    port = int(sys.argv[1])
    fakes = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    fake_port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    settings = {
        "listen_interfaces": "127.0.0.1:%d" % port,
        "enable_dht": True,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_ignore_dark_internet": False,
        "dht_enforce_node_id": False,
        "dht_prefer_verified_node_ids": False,
        # per-IP packet rate before an IP is blocked (default 5/s); the check multiplies by 10,
        # so stay well below 2^31 / 10
        "dht_block_ratelimit": 100000000,
        # bytes/s the DHT may send (default 8000); libtorrent keeps 3 s of burst in an int
        "dht_upload_rate_limit": 500000000,
        "alert_mask": 0,
    }
    ses = lt.session(settings)
    # Wait until the DHT socket is up.
    deadline = time.time() + 10
    while time.time() < deadline and not ses.is_dht_running():
        time.sleep(0.05)
    if not ses.is_dht_running():
        print("FATAL dht not running", flush=True)
        return 1
    time.sleep(0.3)
    if port == 0:
        port = ses.listen_port()  # the DHT shares the listen socket's port
    print("READY %d" % port, flush=True)
    start = time.time()
    add_at = [0.5, 1.5, 3.0, 5.0, 8.0] if fakes and fake_port else []
    try:
        while True:
            timeout = max(0.0, start + add_at[0] - time.time()) if add_at else None
            ready, _, _ = select.select([sys.stdin], [], [], timeout)
            if ready:
                if not sys.stdin.buffer.read1(4096):
                    break
            elif add_at:
                add_at.pop(0)
                for i in range(1, fakes + 1):
                    ses.add_dht_node(("127.0.1.%d" % i, fake_port))
    except KeyboardInterrupt:
        pass
    names = ("dht.dht_messages_in", "dht.dht_messages_out", "dht.dht_messages_in_dropped",
             "dht.dht_messages_out_dropped")
    try:
        metrics = {m.name: m.value_index for m in lt.session_stats_metrics()}
        ses.post_session_stats()
        deadline = time.time() + 3
        values = None
        while time.time() < deadline and values is None:
            ses.wait_for_alert(500)
            for a in ses.pop_alerts():
                if isinstance(a, lt.session_stats_alert):
                    values = a.values
        if values is not None:
            get = (lambda n: values[n]) if isinstance(values, dict) else (lambda n: values[metrics[n]])
            print("STATS " + " ".join("%s=%d" % (n.split(".")[1], get(n)) for n in names if n in metrics),
                  flush=True)
    except Exception as e:  # counters are informative only
        print("STATS unavailable: %s" % e, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
