package dev.scout.dht.routing;

/** BEP 5 node states. */
public enum NodeState {
    /** Answered one of our queries in the last 15 minutes, or has answered once and queried us since. */
    GOOD,
    /** Quiet for 15 minutes; worth a ping before it is trusted or evicted. */
    QUESTIONABLE,
    /** Failed to answer several queries in a row; replaceable at once. */
    BAD
}
