package dev.scout.bench.sim;

import dev.scout.bench.Fragment;

import java.util.ArrayList;
import java.util.List;

/** Where the time of the measured operations went, from their recorded request timelines. */
final class SimTimeline {
    private SimTimeline() {}

    /** Figures from the recorded request timelines of {@code ops}. */
    static void timeline(Fragment f, String p, String kind, List<SimBench.Op> ops) {
        List<SimBench.Op> done = ops.stream().filter(o -> o.end >= 0 && o.probe != null).toList();
        if (done.isEmpty()) {
            return;
        }
        double slow = 0;
        double timeouts = 0;
        double offline = 0;
        double sent = 0;
        double values = 0;
        int endedByResponse = 0;
        int endedBySoft = 0;
        int endedByTimeout = 0;
        List<Long> rtts = new ArrayList<>();
        List<Long> firstValue = new ArrayList<>();
        List<Long> lookupPhase = new ArrayList<>();
        List<Long> storePhase = new ArrayList<>();
        List<Long> firstAck = new ArrayList<>();
        for (SimBench.Op o : done) {
            long lookupEnd = kind.equals("put") ? o.lookupEnd : o.end;
            long fv = Long.MAX_VALUE;
            long ack = Long.MAX_VALUE;
            boolean byResponse = false;
            boolean bySoft = false;
            boolean byTimeout = false;
            for (ProbeContext.Rpc r : o.probe.rpcs) {
                sent++;
                offline += r.toOffline ? 1 : 0;
                slow += r.slowAt >= 0 ? 1 : 0;
                timeouts += r.outcome == 't' ? 1 : 0;
                if (r.outcome == 'r') {
                    rtts.add(r.doneAt - r.sentAt);
                    if (r.carriedValue) {
                        fv = Math.min(fv, r.doneAt);
                        values++;
                    }
                    if (r.method.equals("put")) {
                        ack = Math.min(ack, r.doneAt);
                    }
                }
                if (!r.method.equals("put") && lookupEnd >= 0) {
                    byResponse |= r.outcome == 'r' && r.doneAt == lookupEnd;
                    bySoft |= r.slowAt == lookupEnd;
                    byTimeout |= r.outcome == 't' && r.doneAt == lookupEnd;
                }
            }
            if (byResponse) {
                endedByResponse++;
            } else if (bySoft) {
                endedBySoft++;
            } else if (byTimeout) {
                endedByTimeout++;
            }
            if (fv != Long.MAX_VALUE) {
                firstValue.add(fv - o.start);
            }
            if (kind.equals("put") && o.lookupEnd >= 0) {
                lookupPhase.add(o.lookupEnd - o.start);
                storePhase.add(o.end - o.lookupEnd);
                if (ack != Long.MAX_VALUE) {
                    firstAck.add(ack - o.start);
                }
            }
        }
        int n = done.size();
        f.put(p + "soft_timeouts_mean", slow / n).put(p + "hard_timeouts_mean", timeouts / n)
                .put(p + "rpcs_to_offline_share", offline / sent)
                .put(p + "lookup_ended_by_response_share", endedByResponse / (double) n)
                .put(p + "lookup_ended_by_soft_timeout_share", endedBySoft / (double) n)
                .put(p + "lookup_ended_by_hard_timeout_share", endedByTimeout / (double) n)
                .put(p + "answered_rtt_p50_ms", Fragment.percentile(sorted(rtts), 50))
                .put(p + "answered_rtt_p90_ms", Fragment.percentile(sorted(rtts), 90));
        if (kind.equals("get")) {
            long[] fvs = sorted(firstValue);
            // every answer carrying the item costs the getter one Ed25519 verification
            f.put("sim_get_values_received_mean", values / n)
                    .put("sim_get_first_value_p50_ms", Fragment.percentile(fvs, 50))
                    .put("sim_get_first_value_p99_ms", Fragment.percentile(fvs, 99));
        }
        if (kind.equals("put")) {
            f.put("sim_put_lookup_phase_p50_ms", Fragment.percentile(sorted(lookupPhase), 50))
                    .put("sim_put_lookup_phase_p99_ms", Fragment.percentile(sorted(lookupPhase), 99))
                    .put("sim_put_store_phase_p50_ms", Fragment.percentile(sorted(storePhase), 50))
                    .put("sim_put_store_phase_p90_ms", Fragment.percentile(sorted(storePhase), 90))
                    .put("sim_put_first_ack_p50_ms", Fragment.percentile(sorted(firstAck), 50))
                    .put("sim_put_first_ack_p99_ms", Fragment.percentile(sorted(firstAck), 99));
        }
    }

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
