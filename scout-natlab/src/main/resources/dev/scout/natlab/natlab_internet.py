#!/usr/bin/env python3
"""The NAT lab's "Internet": a userspace hub between veth ports that delays every frame.

Linux conntrack gives a home router's NAT a fresh random port when a peer's packet arrived
*before* the device's own first packet to that peer (the unsolicited packet's conntrack entry
takes the tuple). Hole punching therefore relies on both sides sending within one one-way
latency of each other, as on the real Internet. Network namespaces alone have microseconds of
latency (and this kernel has no netem), so this hub supplies it: every Ethernet frame is
forwarded to the other ports after DELAY seconds. IPv4 UDP checksums are cleared (allowed by
RFC 768) because frames captured from a veth may carry offloaded, unfinished checksums.

usage: natlab_internet.py DELAY IFACE...   (run inside the Internet namespace; prints "ready")
"""
import heapq
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003


def clear_udp_checksum(frame):
    if len(frame) < 34 or frame[12:14] != b'\x08\x00':
        return frame
    ihl = (frame[14] & 0x0F) * 4
    if frame[23] != 17 or len(frame) < 14 + ihl + 8:
        return frame
    b = bytearray(frame)
    struct.pack_into('!H', b, 14 + ihl + 6, 0)
    return bytes(b)


def main():
    delay = float(sys.argv[1])
    ports = {}
    for name in sys.argv[2:]:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
        s.bind((name, 0))
        s.setblocking(False)
        ports[s.fileno()] = s
    queue = []
    seq = 0
    print("ready", flush=True)
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 1.0
        ready, _, _ = select.select(list(ports), [], [], timeout)
        now = time.monotonic()
        for fd in ready:
            s = ports[fd]
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == socket.PACKET_OUTGOING:
                    continue
                frame = clear_udp_checksum(frame)
                for fd2, out in ports.items():
                    if fd2 != fd:
                        heapq.heappush(queue, (now + delay, seq, fd2, frame))
                        seq += 1
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, fd2, frame = heapq.heappop(queue)
            try:
                ports[fd2].send(frame)
            except OSError:
                pass


if __name__ == "__main__":
    main()
