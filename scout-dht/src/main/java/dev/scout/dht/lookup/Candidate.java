package dev.scout.dht.lookup;

import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcResponse;

/** A node a lookup knows of, and how far the conversation with it has got. */
public final class Candidate {
    /** Lifecycle of one candidate within one lookup. */
    public enum State { FRESH, PENDING, SLOW, RESPONDED, FAILED }

    private final NodeInfo node;
    State state = State.FRESH;
    KrpcResponse response;
    /** Suspiciously close to the target: asked, but not counted towards K. */
    boolean suspicious;

    Candidate(NodeInfo node) {
        this.node = node;
    }

    public NodeInfo node() {
        return node;
    }

    public State state() {
        return state;
    }

    /** The node's answer once {@link State#RESPONDED}; carries its write token. */
    public KrpcResponse response() {
        return response;
    }
}
