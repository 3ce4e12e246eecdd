package dev.scout.dht.node.address;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Addresses this node sent to recently, in send order: a query from an address not in here came
 * unsolicited (no NAT mapping of ours let it in). Bounded by time and count, O(1) per packet.
 */
public final class RecentDestinations {
    /** How long a NAT keeps a mapping open for replies, generously (RFC 4787 asks for at least 2 min). */
    public static final long WINDOW_MILLIS = 5 * 60_000;
    public static final int MAX_ENTRIES = 8_192;

    private final LinkedHashMap<InetSocketAddress, Long> sentAt = new LinkedHashMap<>(256, 0.75f, true);

    public void sent(InetSocketAddress to, long now) {
        sentAt.put(to, now);
        expire(now);
    }

    public boolean contains(InetSocketAddress from, long now) {
        expire(now);
        return sentAt.containsKey(from);
    }

    private void expire(long now) {
        Iterator<Map.Entry<InetSocketAddress, Long>> it = sentAt.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<InetSocketAddress, Long> oldest = it.next();
            if (sentAt.size() > MAX_ENTRIES || now - oldest.getValue() > WINDOW_MILLIS) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
