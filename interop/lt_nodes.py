#!/usr/bin/python3
"""Run N libtorrent DHT nodes on 127.0.0.1 and drive them over JSON lines.

Run it with Debian's interpreter (the only one that has libtorrent):

    /usr/bin/python3 interop/lt_nodes.py --nodes N --base-port P \
        [--bootstrap 127.0.0.1:PORT,...] [--router 127.0.0.1:PORT,...] \
        [--settings '{"dht_block_ratelimit": 5}'] [--ready-timeout 20] [--verbose]

Node i is one lt.session whose DHT socket is 127.0.0.1:(P+i).  Every node
is told about every other local node and about each --bootstrap address with
add_dht_node (a ping, so they land in the routing tables).  --router
addresses go to dht_bootstrap_nodes instead; libtorrent never puts a router
into its routing table.  Only 127.0.0.0/8 addresses are accepted anywhere.

stdout carries only the protocol, one JSON object per line:
  startup:  {"event":"ready","pid":..,"nodes":[{"index":i,"port":p,"node_id":hex40,
             "routing_table_size":n},..]}
            once every node has all other local nodes as live routing-table
            entries (or --ready-timeout passed; stderr then has a warning),
        or  {"event":"fatal","error":"..."} and exit status 1 (e.g. port taken).
  then one reply per request line on stdin, in order.  Every reply has "id"
  (copied from the request), "ok", "elapsed_ms", and "error" when ok is false.
  Commands that wait take "timeout" (seconds, default 20).  A timeout gives
  ok:false plus whatever partial result there was.  Diagnostics go to stderr.

Commands ("node" is an index; add_node also takes "all"):
  add_node        node, addr "127.0.0.1:PORT", [wait: bool]
                  -> added_to:[i..]; with wait, waits until addr is a live
                  routing-table entry of each node -> present:true
  routing_table   node -> node_id, count, nodes:[{id, addr}]   (dht_live_nodes)
  stats           node -> node_id, port, routing_table:[{num_nodes,num_replacements}],
                  live_nodes, active_requests:[..]              (post_dht_stats)
  nodes           -> nodes:[{index, port, node_id}], helpers:[{port, node_id}]
  put_immutable   node, value_b64 (the bencoded value) -> target, num_success
  get_immutable   node, target, [retry: bool] -> target, found, value_b64|null, attempts
  put_mutable     node, value_b64 (must be a bencoded *byte string*), salt_hex,
                  and either seed_hex (32 bytes) or sk64_hex (+ optional pk_hex),
                  [seq: expected seq, checked before putting]
                  -> target, public_key_hex, salt_hex, seq, signature_hex, num_success
  get_mutable     node, pk_hex, salt_hex, [retry: bool, min_seq: n]
                  -> found, value_b64|null, seq, signature_hex, salt_hex, public_key_hex,
                     target, authoritative
  announce        node, info_hash, [port]
                  -> info_hash, port, implied_port, via, announced_to:[addr], num_success
  get_peers       node, info_hash, [expect: ["127.0.0.1:port", ..]]
                  -> info_hash, peers:["ip:port", ..], lookup_done, attempts
  quit            -> shuts every session down, replies, exits 0 (also on EOF / SIGTERM)

Python-binding limits of libtorrent 2.0.8 that shape this protocol:
  * session.dht_announce() cannot be called from Python (no converter for its
    flags argument, libtorrent issue #7441).  "announce" therefore adds a
    magnet-style torrent to the node, which makes libtorrent announce the
    node's own port (implied_port=1).  If "port" is given and differs from
    the node's port, a helper lt.session is bound to 127.0.0.1:<port>
    (bootstrapped from the node) and the torrent is added there, so the port
    the DHT records is <port>.  The helper is an ordinary DHT node and stays
    up, so it shows up in routing tables ("nodes" lists it under "helpers").
    It cannot be read-only: libtorrent adds any node that sends a valid
    announce_peer/put to its routing table even with "ro":1, and a node
    that never answers then stalls lookups for 15 s.
  * dht_put_mutable_item() always stores the data as a bencoded string, so
    only byte-string mutable values can be put, and libtorrent picks
    seq = (highest seq found in the DHT) + 1.
  * The item in dht_*_item_alert can only be read for string values.  For
    other values the exact bytes are taken from the response packets
    (dht_pkt_alert), which is why DHT logging alerts are switched on.
"""

import argparse
import base64
import binascii
import collections
import concurrent.futures
import hashlib
import ipaddress
import json
import os
import re
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings

import libtorrent as lt

warnings.simplefilter("ignore", DeprecationWarning)  # session.dht_state()

DEFAULT_TIMEOUT = 20.0
VERBOSE = False


def log(msg):
    sys.stderr.write("[lt_nodes %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


# --------------------------------------------------------------------------
# bencoding (a decoder that also remembers the raw bytes of dict values)
# --------------------------------------------------------------------------

class BDict(dict):
    """A decoded bencoded dict; .raw[key] is the exact encoding of the value."""
    raw = None


def bdecode(buf):
    value, end = _bdecode(buf, 0)
    if end != len(buf):
        raise ValueError("trailing bytes after bencoded value")
    return value


def _bdecode(b, i):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c == b"l":
        i += 1
        out = []
        while b[i:i + 1] != b"e":
            if i >= len(b):
                raise ValueError("unterminated list")
            v, i = _bdecode(b, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i += 1
        d = BDict()
        d.raw = {}
        while b[i:i + 1] != b"e":
            if i >= len(b):
                raise ValueError("unterminated dict")
            k, i = _bdecode(b, i)
            if not isinstance(k, bytes):
                raise ValueError("dict key is not a string")
            start = i
            v, i = _bdecode(b, i)
            d[k] = v
            d.raw[k] = b[start:i]
        return d, i + 1
    if c.isdigit():
        j = b.index(b":", i)
        n = int(b[i:j])
        if j + 1 + n > len(b):
            raise ValueError("string runs past the end")
        return b[j + 1:j + 1 + n], j + 1 + n
    raise ValueError("bad bencoding at offset %d" % i)


def bencode(v):
    if isinstance(v, bool):
        raise ValueError("bool is not bencodable")
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, (bytes, bytearray)):
        return b"%d:%s" % (len(v), bytes(v))
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise ValueError("cannot bencode %r" % type(v))


# --------------------------------------------------------------------------
# Ed25519 in pure Python: turning a 32-byte seed into libtorrent's keys (the
# 2.0.8 bindings have no ed25519_create_keypair) and checking BEP 44
# signatures when a mutable value has to be taken from a raw packet
# --------------------------------------------------------------------------

_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P


def _ed_add(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = t1 * 2 * _D * t2 % _P
    d = z1 * 2 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _ed_mul(s, p):
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = _ed_add(q, p)
        p = _ed_add(p, p)
        s >>= 1
    return q


def _ed_encode(p):
    x, y, z, _ = p
    zi = pow(z, _P - 2, _P)
    x, y = x * zi % _P, y * zi % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _ed_decode(b):
    y = int.from_bytes(b, "little") & ((1 << 255) - 1)
    if y >= _P:
        return None
    xx = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    x = pow(xx, (_P + 3) // 8, _P)
    if (x * x - xx) % _P:
        x = x * pow(2, (_P - 1) // 4, _P) % _P
    if (x * x - xx) % _P:
        return None
    if (x & 1) != b[31] >> 7:
        x = _P - x
    return (x, y, 1, x * y % _P)


_ED_BASE = _ed_decode((4 * pow(5, _P - 2, _P) % _P).to_bytes(32, "little"))


def ed25519_expand_seed(seed):
    """libtorrent's 64-byte 'secret key': SHA-512(seed), first half clamped."""
    h = bytearray(hashlib.sha512(seed).digest())
    h[0] &= 248
    h[31] &= 63
    h[31] |= 64
    return bytes(h)


def ed25519_public_key(sk64):
    return _ed_encode(_ed_mul(int.from_bytes(sk64[:32], "little"), _ED_BASE))


def ed25519_verify(pk, msg, sig):
    a = _ed_decode(pk)
    s = int.from_bytes(sig[32:], "little")
    if a is None or len(sig) != 64 or s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(sig[:32] + pk + msg).digest(), "little") % _L
    # R == S*B - h*A
    return _ed_encode(_ed_add(_ed_mul(s, _ED_BASE), _ed_mul(_L - h, a))) == sig[:32]


def bep44_signed_buffer(salt, seq, raw_v):
    salt_part = b"4:salt%d:%s" % (len(salt), salt) if salt else b""
    return salt_part + b"3:seqi%de1:v" % seq + raw_v


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

class CmdError(Exception):
    """A request failed; .extra is merged into the error reply."""

    def __init__(self, msg, **extra):
        super().__init__(msg)
        self.extra = extra


def parse_addr(text):
    """'127.0.0.1:PORT' -> ('127.0.0.1', PORT), '[::1]:PORT' -> ('::1', PORT);
    loopback only."""
    if not isinstance(text, str) or ":" not in text:
        raise CmdError("address must look like 127.0.0.1:PORT or [::1]:PORT, got %r" % (text,))
    host, port = text.rsplit(":", 1)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ip = ipaddress.ip_address(host)
        port = int(port)
    except ValueError:
        raise CmdError("bad address %r" % (text,))
    if not ip.is_loopback:
        raise CmdError("only loopback addresses are allowed, got %r" % (text,))
    if not 0 < port < 65536:
        raise CmdError("bad port in %r" % (text,))
    return (str(ip), port)


def hex_arg(req, key, length=None, default=None):
    v = req.get(key, default)
    if v is None:
        raise CmdError("missing %r" % key)
    try:
        b = bytes.fromhex(v)
    except (TypeError, ValueError):
        raise CmdError("%r is not hex" % key)
    if length is not None and len(b) != length:
        raise CmdError("%r must be %d bytes, got %d" % (key, length, len(b)))
    return b


def b64_arg(req, key):
    v = req.get(key)
    if not isinstance(v, str):
        raise CmdError("missing %r" % key)
    try:
        return base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError):
        raise CmdError("%r is not base64" % key)


def b64(b):
    return None if b is None else base64.b64encode(b).decode("ascii")


def ep_str(ep):
    host = str(ep[0])
    if ":" in host:
        return "[%s]:%d" % (ipaddress.IPv6Address(host).compressed, ep[1])
    return "%s:%d" % (host, ep[1])


# the loopback address every node binds (--host): 127.0.0.1 or ::1 (BEP 32)
HOST = "127.0.0.1"


def host_port(port):
    return ep_str((HOST, port))


def safe_bytes(get):
    """Read a std::string alert field; the bindings give str or bytes and
    raise on non-UTF-8 data.  None means 'unknown'."""
    try:
        v = get()
    except Exception:
        return None
    if isinstance(v, str):
        return v.encode("utf-8")
    return bytes(v)


ALERT_MASK = (lt.alert.category_t.dht_notification
              | lt.alert.category_t.dht_operation_notification
              | lt.alert.category_t.dht_log_notification
              | lt.alert.category_t.error_notification
              | lt.alert.category_t.status_notification)

RE_NEW = re.compile(r"^\[(\d+)\] NEW target: ([0-9a-f]{40})")
RE_COMPLETED = re.compile(r"^\[(\d+)\] COMPLETED .*type: (\S+)")
RE_ANNOUNCING = re.compile(r"^announcing \[ ih: ([0-9a-f]{40})")
RE_SENDING_ANN = re.compile(
    r"^sending announce_peer \[ ih: ([0-9a-f]{40})\s+p: (\d+) nodes: (\d+)")
RE_PKT = re.compile(r"^(<==|==>) \[([^\]]+)\]")


def node_settings(port, routers, overrides):
    s = {
        "listen_interfaces": host_port(port),
        # if the port is taken, fail instead of quietly using another one
        "max_retry_port_bind": 0,
        "listen_system_port_fallback": False,
        "enable_dht": True,
        # never the default dht.libtorrent.org router; local nodes are added
        # with add_dht_node instead
        "dht_bootstrap_nodes": routers,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        # the torrents used for announcing must never dial anybody
        "enable_outgoing_tcp": False,
        "enable_outgoing_utp": False,
        # many nodes share 127.0.0.1:
        "dht_restrict_routing_ips": False,   # else one entry per IP per bucket
        "dht_restrict_search_ips": False,    # else one node per IP per lookup
        "dht_ignore_dark_internet": False,
        "dht_enforce_node_id": False,        # no BEP 42 id check
        "dht_prefer_verified_node_ids": False,
        "dht_block_ratelimit": 100000,       # default 5/s per IP, then a 5 min ban
        "dht_upload_rate_limit": 10000000,   # default 8000 bytes/s of replies
        "dht_read_only": False,
        "alert_mask": int(ALERT_MASK),
        "alert_queue_size": 200000,
    }
    s.update(overrides)
    return s


# --------------------------------------------------------------------------
# one libtorrent session and what its alerts have told us
# --------------------------------------------------------------------------

class Node:
    MAX_EVENTS = 20000
    MAX_VALUES = 5000

    def __init__(self, name, port, settings):
        self.name = name            # index (int) or "helper:<port>"
        self.port = port
        self.ses = lt.session(settings)
        self.node_id = None
        self.torrents = {}          # info-hash hex -> torrent_handle
        # filled by the pump thread, read under CV:
        self.events = []
        self.ev_base = 0
        self.imm_values = collections.OrderedDict()   # sha1 hex -> bencoded v
        self.mut_values = collections.OrderedDict()   # signature hex -> [bencoded v]
        self.traversals = {}        # traversal id -> (target hex, started by an announce)
        self.pending_announce = None
        self.announce_txn = {}      # (addr, transaction id) -> info-hash hex

    def mark(self):
        return self.ev_base + len(self.events)

    def emit(self, kind, **data):
        data["kind"] = kind
        self.events.append(data)
        if len(self.events) > self.MAX_EVENTS:
            drop = len(self.events) - self.MAX_EVENTS // 2
            del self.events[:drop]
            self.ev_base += drop

    def remember(self, table, key, value):
        table[key] = value
        if len(table) > self.MAX_VALUES:
            table.popitem(last=False)

    def refresh_node_id(self):
        try:
            st = self.ses.dht_state()
            ids = st.get(b"node-id") if isinstance(st, dict) else None
            if ids:
                self.node_id = bytes(ids[0][:20]).hex()
        except Exception as e:
            log("%s: dht_state failed: %s" % (self.name, e))
        return self.node_id

    # ---- alert translation (pump thread, CV held) ----

    def handle(self, a):
        if isinstance(a, lt.dht_pkt_alert):
            self.on_packet(a)
        elif isinstance(a, lt.dht_log_alert):
            self.on_log(a.log_message())
        elif isinstance(a, lt.dht_put_alert):
            target = str(a.target)
            if target == "0" * 40:       # mutable put
                self.emit("put", target=None, pk=bytes(a.public_key).hex(),
                          salt=safe_bytes(lambda: a.salt), seq=a.seq,
                          sig=bytes(a.signature).hex(), num_success=a.num_success)
            else:
                self.emit("put", target=target, pk=None, salt=None, seq=None,
                          sig=None, num_success=a.num_success)
        elif isinstance(a, lt.dht_immutable_item_alert):
            self.on_immutable(a)
        elif isinstance(a, lt.dht_mutable_item_alert):
            self.on_mutable(a)
        elif isinstance(a, lt.dht_get_peers_reply_alert):
            self.emit("peers", info_hash=str(a.info_hash),
                      peers=[ep_str(p) for p in a.peers()])
        elif isinstance(a, lt.dht_live_nodes_alert):
            self.emit("live", node_id=str(a.node_id),
                      nodes=[{"id": str(n["nid"]), "addr": ep_str(n["endpoint"])}
                             for n in a.nodes])
        elif isinstance(a, lt.dht_stats_alert):
            self.emit("stats", routing_table=list(a.routing_table),
                      active_requests=[dict(r) for r in a.active_requests])
        elif isinstance(a, lt.listen_succeeded_alert):
            self.emit("listen_ok", port=a.port, socket_type=str(a.socket_type))
        elif isinstance(a, lt.listen_failed_alert):
            self.emit("listen_failed", message=a.message())
            log("%s: %s" % (self.name, a.message()))
        elif isinstance(a, lt.alerts_dropped_alert):
            log("%s: WARNING alerts dropped (alert queue overflow)" % self.name)
        elif VERBOSE and not isinstance(a, (lt.dht_get_peers_alert,
                                            lt.dht_outgoing_get_peers_alert)):
            log("%s: %s: %s" % (self.name, type(a).__name__, a.message()))

    def on_packet(self, a):
        m = RE_PKT.match(a.message())
        if not m:
            return
        incoming, addr = m.group(1) == "<==", m.group(2)
        try:
            msg = bdecode(bytes(a.pkt_buf))
        except Exception:
            return
        if not isinstance(msg, dict):
            return
        y, t = msg.get(b"y"), msg.get(b"t")
        if incoming:
            if y in (b"r", b"e") and (addr, t) in self.announce_txn:
                ih = self.announce_txn.pop((addr, t))
                self.emit("announce_ack", info_hash=ih, addr=addr, ok=(y == b"r"))
            r = msg.get(b"r")
            if y == b"r" and isinstance(r, BDict) and b"v" in r:
                raw_v = r.raw[b"v"]
                sig = r.get(b"sig")
                if isinstance(sig, bytes):
                    seen = self.mut_values.get(sig.hex(), [])
                    if raw_v not in seen:   # a bad node may pair a sig with other data
                        self.remember(self.mut_values, sig.hex(), seen + [raw_v])
                else:
                    self.remember(self.imm_values, hashlib.sha1(raw_v).hexdigest(), raw_v)
        else:
            body = msg.get(b"a") if y == b"q" else msg.get(b"r")
            if isinstance(body, dict) and isinstance(body.get(b"id"), bytes) \
                    and len(body[b"id"]) == 20:
                self.node_id = body[b"id"].hex()
            if y == b"q" and msg.get(b"q") == b"announce_peer" and isinstance(body, dict):
                ih = body.get(b"info_hash")
                if isinstance(ih, bytes):
                    self.announce_txn[(addr, t)] = ih.hex()
                    self.emit("announce_query", info_hash=ih.hex(), addr=addr,
                              implied_port=bool(body.get(b"implied_port")),
                              port=body.get(b"port"))

    def on_log(self, line):
        m = RE_NEW.match(line)
        if m:
            tid, target = int(m.group(1)), m.group(2)
            by_announce = self.pending_announce == target
            if by_announce:
                self.pending_announce = None
            self.traversals[tid] = (target, by_announce)
            return
        m = RE_COMPLETED.match(line)
        if m:
            target, by_announce = self.traversals.pop(int(m.group(1)), (None, False))
            if target:
                self.emit("lookup_done", target=target, type=m.group(2),
                          by_announce=by_announce)
            return
        m = RE_ANNOUNCING.match(line)
        if m:
            self.pending_announce = m.group(1)
            return
        m = RE_SENDING_ANN.match(line)
        if m:
            self.emit("announce_sent", info_hash=m.group(1), port=int(m.group(2)),
                      nodes=int(m.group(3)))
            return
        if "BANNING PEER" in line:
            log("%s: WARNING libtorrent rate limiter: %s" % (self.name, line))
        elif VERBOSE:
            log("%s: dht: %s" % (self.name, line))

    def on_immutable(self, a):
        target = str(a.target)
        found = "[ <uninitialized> ]" not in a.message()
        value = None
        if found:
            value = self.imm_values.get(target)   # exact bytes, keyed by their SHA-1
            if value is None:
                try:
                    value = bencode(a.item["value"])  # only works for string values
                except RuntimeError:
                    pass
        self.emit("immutable", target=target, found=found, value=value)

    def on_mutable(self, a):
        sig = bytes(a.signature).hex()
        salt = safe_bytes(lambda: a.salt)
        value, candidates = None, []
        try:
            item = a.item                 # only works for string values
            salt = bytes(item["salt"])
            value = bencode(item["value"])
            found = True
        except RuntimeError:
            found = "[ <uninitialized> ]" not in a.message()
            if found:   # the command checks these against the signature
                candidates = list(self.mut_values.get(sig, ()))
        self.emit("mutable", pk=bytes(a.key).hex(), salt=salt, seq=a.seq,
                  sig=sig if found else None, authoritative=bool(a.authoritative),
                  found=found, value=value, candidates=candidates)


# --------------------------------------------------------------------------
# the harness: sessions, alert pump, commands
# --------------------------------------------------------------------------

class Harness:
    def __init__(self, args):
        self.args = args
        self.cv = threading.Condition()
        self.nodes = []
        self.helpers = {}           # port -> Node (sessions that announce other ports)
        self.stopping = False
        self.tmpdir = tempfile.mkdtemp(prefix="lt_nodes_")
        self.routers = ",".join(ep_str(parse_addr(a)) for a in split_list(args.router))
        self.bootstrap = [parse_addr(a) for a in split_list(args.bootstrap)]
        self.overrides = json.loads(args.settings) if args.settings else {}
        self.pipe_r, self.pipe_w = os.pipe()
        os.set_blocking(self.pipe_w, False)    # libtorrent must never block on it
        os.set_blocking(self.pipe_r, False)
        self.pump = threading.Thread(target=self.pump_loop, name="alert-pump", daemon=True)

    # ---- sessions ----

    def new_node(self, name, port):
        node = Node(name, port, node_settings(port, self.routers, self.overrides))
        node.ses.set_alert_fd(self.pipe_w)
        return node

    def all_nodes(self):
        with self.cv:
            return self.nodes + list(self.helpers.values())

    def pump_loop(self):
        while not self.stopping:
            try:
                # libtorrent writes a byte to the pipe when alerts are waiting;
                # the timeout is only a safety net
                readable, _, _ = select.select([self.pipe_r], [], [], 0.2)
                if readable:
                    os.read(self.pipe_r, 4096)
                for node in self.all_nodes():
                    alerts = node.ses.pop_alerts()
                    if not alerts:
                        continue
                    with self.cv:
                        for a in alerts:
                            try:
                                node.handle(a)
                            except Exception:
                                log("error handling %s: %s" % (type(a).__name__,
                                                               traceback.format_exc()))
                        self.cv.notify_all()
            except Exception:
                if not self.stopping:
                    log("alert pump: %s" % traceback.format_exc())
                    time.sleep(0.1)

    def wait_for(self, node, mark, match, deadline):
        """Feed every event of `node` from `mark` on to match(ev) until it
        returns something other than None, or until `deadline`."""
        with self.cv:
            while True:
                start = max(mark, node.ev_base)
                new = node.events[start - node.ev_base:]
                mark = node.ev_base + len(node.events)
                for ev in new:
                    r = match(ev)
                    if r is not None:
                        return r
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cv.wait(min(left, 0.5))

    def pause(self, seconds):
        """Bounded pause between retries (lets the pump keep working)."""
        with self.cv:
            self.cv.wait(seconds)

    def start(self):
        a = self.args
        deadline = time.monotonic() + a.ready_timeout
        self.pump.start()
        # creating a session takes ~0.2 s, mostly outside the GIL
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(a.nodes, 8)) as pool:
            nodes = list(pool.map(lambda i: self.new_node(i, a.base_port + i), range(a.nodes)))
        with self.cv:
            self.nodes = nodes
        for node in self.nodes:
            self.wait_listening(node, deadline)
        for node in self.nodes:
            while not node.refresh_node_id():
                if time.monotonic() > deadline:
                    raise RuntimeError("node %s: DHT did not start" % node.name)
                self.pause(0.05)
        for node in self.nodes:
            for other in self.nodes:
                if other is not node:
                    node.ses.add_dht_node((HOST, other.port))
            for host, port in self.bootstrap:
                node.ses.add_dht_node((host, port))
        # ready = every node has every other local node (or, alone, one
        # bootstrap node) as a live routing-table entry, or the deadline passed
        sizes = {}
        if a.nodes > 1 or self.bootstrap:
            want = a.nodes - 1 if a.nodes > 1 else 1
            for node in self.nodes:
                while True:
                    n = len(self.live_nodes(node, deadline)[1])
                    sizes[node.name] = n
                    if n >= want or time.monotonic() > deadline:
                        break
                    self.pause(0.05)
            if any(n < want for n in sizes.values()):
                log("WARNING: routing tables not complete by the deadline: %s" % sizes)
        for node in self.nodes:
            node.refresh_node_id()
        return {"event": "ready", "pid": os.getpid(),
                "nodes": [{"index": n.name, "port": n.port, "node_id": n.node_id,
                           "routing_table_size": sizes.get(n.name, 0)}
                          for n in self.nodes]}

    def wait_listening(self, node, deadline):
        def match(ev):
            if ev["kind"] == "listen_failed":
                raise RuntimeError("node %s: %s" % (node.name, ev["message"]))
            if ev["kind"] == "listen_ok" and ev["socket_type"] == "udp":
                if ev["port"] != node.port:
                    raise RuntimeError("node %s: listening on UDP port %d instead of %d"
                                       % (node.name, ev["port"], node.port))
                return True
            return None
        if not self.wait_for(node, 0, match, deadline):
            raise RuntimeError("node %s: no UDP listen socket on port %d"
                               % (node.name, node.port))

    def shutdown(self):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)    # already on our way out
        self.stopping = True
        if self.pump.is_alive():
            self.pump.join(2)
        for node in self.all_nodes():
            try:
                node.ses.pause()
            except Exception:
                pass
        with self.cv:
            self.nodes, self.helpers = [], {}   # the sessions are destroyed here
        os.close(self.pipe_r)
        os.close(self.pipe_w)
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    # ---- lookups shared by several commands ----

    def node_arg(self, req, allow_all=False):
        v = req.get("node")
        if allow_all and v == "all":
            return list(self.nodes)
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < len(self.nodes):
            raise CmdError("bad node %r (0..%d%s)" % (v, len(self.nodes) - 1,
                                                      ' or "all"' if allow_all else ""))
        return [self.nodes[v]] if allow_all else self.nodes[v]

    def live_nodes(self, node, deadline):
        """-> (node_id, [{"id","addr"}]) from dht_live_nodes."""
        for attempt in range(2):
            nid = node.node_id or node.refresh_node_id()
            mark = node.mark()
            node.ses.dht_live_nodes(lt.sha1_hash(bytes.fromhex(nid)))
            # the alert comes within milliseconds; allow 5 s whatever the deadline
            ev = self.wait_for(node, mark, lambda e: e if e["kind"] == "live" else None,
                               time.monotonic() + 5)
            if ev is None:
                raise CmdError("timeout waiting for dht_live_nodes_alert")
            if ev["node_id"] != "0" * 40:
                return ev["node_id"], ev["nodes"]
            node.refresh_node_id()      # our id was stale
        return nid, []

    def get_mutable_once(self, node, pk, salt, deadline):
        """One lookup -> (event or None, authoritative?)."""
        best = {}

        def match(ev):
            if ev["kind"] != "mutable" or ev["pk"] != pk.hex():
                return None
            if ev["salt"] is not None and ev["salt"] != salt:
                return None
            if ev["authoritative"]:
                return ev
            if ev["found"] and ev["seq"] >= best.get("seq", -1):
                best.clear()
                best.update(ev)
            return None

        mark = node.mark()
        node.ses.dht_get_mutable_item(pk, salt)
        ev = self.wait_for(node, mark, match, deadline)
        authoritative = ev is not None
        ev = ev or best or None
        if ev and ev["found"] and ev["value"] is None:
            for raw in ev["candidates"]:
                if ed25519_verify(pk, bep44_signed_buffer(salt, ev["seq"], raw),
                                  bytes.fromhex(ev["sig"])):
                    ev["value"] = raw
                    break
        return ev, authoritative

    # ---- commands ----

    def cmd_nodes(self, req, deadline):
        return {"nodes": [{"index": n.name, "port": n.port, "node_id": n.node_id}
                          for n in self.nodes],
                "helpers": [{"port": n.port, "node_id": n.node_id}
                            for n in self.helpers.values()]}

    def cmd_add_node(self, req, deadline):
        targets = self.node_arg(req, allow_all=True)
        host, port = parse_addr(req.get("addr"))
        for node in targets:
            node.ses.add_dht_node((host, port))
        reply = {"added_to": [n.name for n in targets]}
        if req.get("wait"):
            want = ep_str((host, port))
            for node in targets:
                while True:
                    _, entries = self.live_nodes(node, deadline)
                    if any(e["addr"] == want for e in entries):
                        break
                    if time.monotonic() > deadline:
                        raise CmdError("timeout: %s is not in node %s's routing table"
                                       % (want, node.name), present=False, **reply)
                    self.pause(0.1)
            reply["present"] = True
        return reply

    def cmd_routing_table(self, req, deadline):
        node = self.node_arg(req)
        nid, entries = self.live_nodes(node, deadline)
        return {"node_id": nid, "count": len(entries), "nodes": entries}

    def cmd_stats(self, req, deadline):
        node = self.node_arg(req)
        mark = node.mark()
        node.ses.post_dht_stats()
        ev = self.wait_for(node, mark, lambda e: e if e["kind"] == "stats" else None, deadline)
        if ev is None:
            raise CmdError("timeout waiting for dht_stats_alert")
        return {"node_id": node.node_id, "port": node.port,
                "routing_table": ev["routing_table"],
                "live_nodes": sum(b["num_nodes"] for b in ev["routing_table"]),
                "active_requests": ev["active_requests"]}

    def cmd_put_immutable(self, req, deadline):
        node = self.node_arg(req)
        raw = b64_arg(req, "value_b64")
        try:
            canonical = bencode(bdecode(raw)) == raw
        except (ValueError, IndexError):
            raise CmdError("value_b64 is not valid bencoding")
        if not canonical:
            raise CmdError("value_b64 is not canonical bencoding (sorted keys, no "
                           "leading zeros); its target would not be SHA-1 of these bytes")
        mark = node.mark()
        target = str(node.ses.dht_put_immutable_item(lt.bdecode(raw)))
        ev = self.wait_for(node, mark, lambda e: e if e["kind"] == "put"
                           and e["target"] == target else None, deadline)
        if ev is None:
            raise CmdError("timeout waiting for dht_put_alert", target=target)
        return {"target": target, "num_success": ev["num_success"]}

    def cmd_get_immutable(self, req, deadline):
        node = self.node_arg(req)
        target = hex_arg(req, "target", 20)
        attempts = 0
        while True:
            attempts += 1
            mark = node.mark()
            node.ses.dht_get_immutable_item(lt.sha1_hash(target))
            ev = self.wait_for(node, mark, lambda e: e if e["kind"] == "immutable"
                               and e["target"] == target.hex() else None, deadline)
            if ev is None:
                raise CmdError("timeout waiting for dht_immutable_item_alert",
                               target=target.hex(), attempts=attempts)
            if ev["found"] and ev["value"] is None:
                raise CmdError("item found but its value could not be read")
            if ev["found"] or not req.get("retry") or time.monotonic() + 0.25 > deadline:
                return {"target": target.hex(), "found": ev["found"],
                        "value_b64": b64(ev["value"]), "attempts": attempts}
            self.pause(0.25)

    def cmd_put_mutable(self, req, deadline):
        node = self.node_arg(req)
        if req.get("seed_hex") is not None:
            sk = ed25519_expand_seed(hex_arg(req, "seed_hex", 32))
        else:
            sk = hex_arg(req, "sk64_hex", 64)
        pk = ed25519_public_key(sk)
        if req.get("pk_hex") is not None and hex_arg(req, "pk_hex", 32) != pk:
            raise CmdError("pk_hex does not belong to the secret key (derived %s)" % pk.hex())
        salt = hex_arg(req, "salt_hex", default="")
        if len(salt) > 64:
            raise CmdError("salt is longer than 64 bytes")
        try:
            data = bdecode(b64_arg(req, "value_b64"))
        except (ValueError, IndexError):
            raise CmdError("value_b64 is not valid bencoding")
        if not isinstance(data, bytes):
            raise CmdError("libtorrent 2.0.8's Python dht_put_mutable_item can only store "
                           "a byte string; value_b64 must be a bencoded string")
        target = hashlib.sha1(pk + salt).hexdigest()
        want_seq = req.get("seq")
        if want_seq is not None:
            # libtorrent picks seq itself (highest seq it finds, plus one);
            # refuse up front instead of storing a different seq
            ev, _ = self.get_mutable_once(node, pk, salt, deadline)
            current = ev["seq"] if ev and ev["found"] else 0
            if current + 1 != want_seq:
                raise CmdError("libtorrent would put seq %d (found seq %d), not %r"
                               % (current + 1, current, want_seq), target=target)
        mark = node.mark()
        node.ses.dht_put_mutable_item(sk, pk, data, salt)

        def match(ev):
            if ev["kind"] == "put" and ev["pk"] == pk.hex() and \
                    (ev["salt"] is None or ev["salt"] == salt):
                return ev
            return None
        ev = self.wait_for(node, mark, match, deadline)
        if ev is None:
            raise CmdError("timeout waiting for dht_put_alert", target=target)
        reply = {"target": target, "public_key_hex": pk.hex(), "salt_hex": salt.hex(),
                 "seq": ev["seq"], "signature_hex": ev["sig"],
                 "num_success": ev["num_success"]}
        if want_seq is not None and ev["seq"] != want_seq:
            raise CmdError("libtorrent put seq %d, not %d" % (ev["seq"], want_seq), **reply)
        return reply

    def cmd_get_mutable(self, req, deadline):
        node = self.node_arg(req)
        pk = hex_arg(req, "pk_hex", 32)
        salt = hex_arg(req, "salt_hex", default="")
        min_seq = req.get("min_seq")
        attempts = 0
        while True:
            attempts += 1
            ev, authoritative = self.get_mutable_once(node, pk, salt, deadline)
            if ev is None:
                raise CmdError("timeout waiting for dht_mutable_item_alert", attempts=attempts)
            if ev["found"] and ev["value"] is None:
                raise CmdError("item found but its value could not be read")
            good = ev["found"] and (min_seq is None or ev["seq"] >= min_seq)
            if good or not authoritative or not req.get("retry") \
                    or time.monotonic() + 0.25 > deadline:
                break
            self.pause(0.25)
        found = ev["found"]
        return {"found": found, "value_b64": b64(ev["value"]) if found else None,
                "seq": ev["seq"] if found else None,
                "signature_hex": ev["sig"] if found else None,
                "salt_hex": salt.hex(), "public_key_hex": pk.hex(),
                "target": hashlib.sha1(pk + salt).hexdigest(),
                "authoritative": authoritative, "attempts": attempts}

    def helper_for(self, port, via, deadline):
        """A session on 127.0.0.1:port, used only to announce that port."""
        if any(n.port == port for n in self.nodes):
            raise CmdError("port %d belongs to a libtorrent node; announce via that node" % port)
        helper = self.helpers.get(port)
        if helper is None:
            helper = self.new_node("helper:%d" % port, port)
            with self.cv:
                self.helpers[port] = helper
            try:
                self.wait_listening(helper, deadline)
            except RuntimeError as e:
                with self.cv:
                    del self.helpers[port]
                raise CmdError(str(e))
            while not helper.refresh_node_id():
                if time.monotonic() > deadline:
                    raise CmdError("helper DHT did not start")
                self.pause(0.05)
        helper.ses.add_dht_node((HOST, via.port))
        while not any(e["addr"] == ep_str((HOST, via.port))
                      for e in self.live_nodes(helper, deadline)[1]):
            if time.monotonic() > deadline:
                raise CmdError("helper on port %d could not reach node %s" % (port, via.name))
            self.pause(0.05)
        return helper

    def cmd_announce(self, req, deadline):
        node = self.node_arg(req)
        ih = hex_arg(req, "info_hash", 20).hex()
        port = req.get("port") or node.port
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise CmdError("bad port %r" % (port,))
        sender = node if port == node.port else self.helper_for(port, node, deadline)
        mark = sender.mark()
        handle = sender.torrents.get(ih)
        if handle is None:
            sender.torrents[ih] = sender.ses.add_torrent(
                {"info_hashes": bytes.fromhex(ih), "save_path": self.tmpdir, "flags": 0})
        else:
            handle.force_dht_announce()
        state = {"sent": None, "queries": [], "acks": []}

        def match(ev):
            if ev.get("info_hash") != ih:
                return None
            if ev["kind"] == "announce_sent" and state["sent"] is None:
                state["sent"] = ev
            elif ev["kind"] == "announce_query" and state["sent"] is not None:
                state["queries"].append(ev)
            elif ev["kind"] == "announce_ack" and state["sent"] is not None:
                state["acks"].append(ev)
            sent = state["sent"]
            if sent is not None and len(state["queries"]) >= sent["nodes"] \
                    and len(state["acks"]) >= len(state["queries"]):
                return True
            return None
        done = self.wait_for(sender, mark, match, deadline)
        sent = state["sent"]
        reply = {"info_hash": ih, "via": "node" if sender is node else "helper",
                 "port": sent["port"] if sent else port,
                 "implied_port": any(q["implied_port"] for q in state["queries"]),
                 "announced_to": [q["addr"] for q in state["queries"]],
                 "num_success": sum(1 for a in state["acks"] if a["ok"])}
        if not done:
            raise CmdError("timeout waiting for the announce_peer round (%s)"
                           % ("no announce sent yet" if sent is None else
                              "%d of %d answered" % (len(state["acks"]), sent["nodes"])),
                           **reply)
        return reply

    def cmd_get_peers(self, req, deadline):
        node = self.node_arg(req)
        ih = hex_arg(req, "info_hash", 20).hex()
        expect = req.get("expect") or []
        if not isinstance(expect, list):
            raise CmdError("expect must be a list of 127.0.0.1:PORT strings")
        expect = {ep_str(parse_addr(e)) for e in expect}
        peers, attempts = set(), 0
        while True:
            attempts += 1
            state = {"done": False}

            def match(ev):
                if ev["kind"] == "peers" and ev["info_hash"] == ih:
                    peers.update(ev["peers"])
                elif ev["kind"] == "lookup_done" and ev["target"] == ih \
                        and ev["type"] == "get_peers" and not ev["by_announce"]:
                    state["done"] = True
                if expect and expect <= peers:
                    return True
                return True if state["done"] else None
            mark = node.mark()
            node.ses.dht_get_peers(lt.sha1_hash(bytes.fromhex(ih)))
            finished = self.wait_for(node, mark, match, deadline)
            reply = {"info_hash": ih, "peers": sorted(peers),
                     "lookup_done": state["done"], "attempts": attempts}
            if expect <= peers and finished:
                return reply
            if not finished or time.monotonic() + 0.25 > deadline:
                missing = sorted(expect - peers)
                raise CmdError("timeout" + (" (missing %s)" % missing if missing else
                                            " waiting for the get_peers lookup"), **reply)
            self.pause(0.25)

    COMMANDS = {
        "nodes": cmd_nodes, "add_node": cmd_add_node, "routing_table": cmd_routing_table,
        "stats": cmd_stats, "put_immutable": cmd_put_immutable,
        "get_immutable": cmd_get_immutable, "put_mutable": cmd_put_mutable,
        "get_mutable": cmd_get_mutable, "announce": cmd_announce, "get_peers": cmd_get_peers,
    }

    def execute(self, req):
        """One request dict -> one reply dict (never raises)."""
        started = time.monotonic()
        reply = {"id": req.get("id") if isinstance(req, dict) else None}
        try:
            if not isinstance(req, dict):
                raise CmdError("request must be a JSON object")
            timeout = req.get("timeout", DEFAULT_TIMEOUT)
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
                    or timeout <= 0:
                raise CmdError("bad timeout %r" % (timeout,))
            fn = self.COMMANDS.get(req.get("cmd"))
            if fn is None:
                raise CmdError("unknown cmd %r" % (req.get("cmd"),))
            reply.update(fn(self, req, started + timeout))
            reply["ok"] = True
        except CmdError as e:
            reply.update(e.extra)
            reply.update(ok=False, error=str(e))
        except Exception as e:
            log(traceback.format_exc())
            reply.update(ok=False, error="%s: %s" % (type(e).__name__, e))
        reply["elapsed_ms"] = int((time.monotonic() - started) * 1000)
        return reply


def split_list(text):
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def send(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


class Terminate(Exception):
    pass


def on_sigterm(signum, frame):
    raise Terminate()


def main():
    global VERBOSE, HOST
    p = argparse.ArgumentParser(description="libtorrent DHT nodes on 127.0.0.1, "
                                "driven by JSON lines on stdin/stdout")
    p.add_argument("--nodes", type=int, required=True)
    p.add_argument("--base-port", type=int, required=True)
    p.add_argument("--bootstrap", default="", help="127.0.0.1:PORT,... added with add_dht_node")
    p.add_argument("--router", default="", help="127.0.0.1:PORT,... put in dht_bootstrap_nodes")
    p.add_argument("--settings", default="", help="JSON dict of settings_pack overrides")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind: 127.0.0.1 or ::1")
    p.add_argument("--ready-timeout", type=float, default=20.0)
    p.add_argument("--verbose", action="store_true", help="log every alert to stderr")
    args = p.parse_args()
    VERBOSE = args.verbose
    HOST = str(ipaddress.ip_address(args.host))
    if not ipaddress.ip_address(HOST).is_loopback:
        p.error("--host must be a loopback address")
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    harness = None
    try:
        if args.nodes < 1 or not 0 < args.base_port <= 65536 - args.nodes:
            raise ValueError("need --nodes >= 1 and a base port that fits")
        harness = Harness(args)
        t0 = time.monotonic()
        ready = harness.start()
        log("%d nodes ready on %s:%d-%d in %.2fs" % (
            args.nodes, HOST, args.base_port, args.base_port + args.nodes - 1,
            time.monotonic() - t0))
    except Terminate:
        if harness:
            harness.shutdown()
        return 0
    except Exception as e:
        log(traceback.format_exc())
        send({"event": "fatal", "error": "%s: %s" % (type(e).__name__, e)})
        if harness:
            harness.shutdown()
        return 1
    send(ready)

    try:
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                req = json.loads(line)
            except ValueError as e:
                send({"id": None, "ok": False, "error": "bad JSON: %s" % e, "elapsed_ms": 0})
                continue
            if isinstance(req, dict) and req.get("cmd") == "quit":
                started = time.monotonic()
                harness.shutdown()
                send({"id": req.get("id"), "ok": True,
                      "elapsed_ms": int((time.monotonic() - started) * 1000)})
                return 0
            reply = harness.execute(req)
            if VERBOSE or not reply["ok"]:
                log("%s -> %s" % (line[:200], json.dumps(reply)[:300]))
            send(reply)
        log("stdin closed, shutting down")
    except Terminate:
        log("SIGTERM, shutting down")
    harness.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
