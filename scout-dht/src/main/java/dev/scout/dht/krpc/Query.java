package dev.scout.dht.krpc;

import dev.scout.dht.NodeId;

/** The typed arguments of each KRPC query method this node understands. */
public sealed interface Query {
    /** The method name on the wire ({@code q}). */
    String method();

    /** BEP 5 {@code ping}. */
    record Ping() implements Query {
        public String method() {
            return "ping";
        }
    }

    /** BEP 5 {@code find_node}. */
    record FindNode(NodeId target, Want want) implements Query {
        public String method() {
            return "find_node";
        }
    }

    /** BEP 5 {@code get_peers}. */
    record GetPeers(NodeId infoHash, Want want) implements Query {
        public String method() {
            return "get_peers";
        }
    }

    /** BEP 5 {@code announce_peer}; with {@code impliedPort} the peer port is the UDP source port. */
    record AnnouncePeer(NodeId infoHash, int port, byte[] token, boolean impliedPort) implements Query {
        public String method() {
            return "announce_peer";
        }
    }

    /** BEP 44 {@code get}; {@code seq} (nullable) asks to omit an item the querier already has. */
    record Get(NodeId target, Long seq, Want want) implements Query {
        public String method() {
            return "get";
        }
    }

    /**
     * BEP 44 {@code put}. {@code value} is the bencoded {@code v}; key, signature, salt, seq and cas are
     * null for immutable items (salt and cas may be null for mutable ones too).
     */
    record Put(byte[] token, byte[] value, byte[] key, byte[] signature, byte[] salt, Long seq, Long cas)
            implements Query {
        public String method() {
            return "put";
        }

        public boolean mutable() {
            return key != null || signature != null || seq != null;
        }
    }

    /**
     * A method this node does not know. BEP 5 asks unknown methods carrying a {@code target} or
     * {@code info_hash} to be answered like {@code find_node}, so that target is kept (nullable).
     */
    record Unknown(String method, NodeId target, Want want) implements Query {
    }
}
