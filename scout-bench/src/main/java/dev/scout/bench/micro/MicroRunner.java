package dev.scout.bench.micro;

import dev.scout.bench.Fragment;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JMH micro-benchmarks (throughput, one thread) and writes their scores as ops/s and ns/op.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.micro.MicroRunner --forks 1 --warmup 2 --iterations 3 --time-ms 1000</pre>
 */
public final class MicroRunner {
    private MicroRunner() {}

    /** Benchmark method → result key stem. */
    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("BencodeBench.bencodeDecodeFindNodeResponse", "bencode_decode_find_node_response"),
            Map.entry("BencodeBench.bencodeEncodeFindNodeResponse", "bencode_encode_find_node_response"),
            Map.entry("BencodeBench.krpcDecodeFindNodeQuery", "krpc_decode_find_node_query"),
            Map.entry("BencodeBench.krpcDecodeFindNodeResponse", "krpc_decode_find_node_response"),
            Map.entry("BencodeBench.krpcEncodeFindNodeResponse", "krpc_encode_find_node_response"),
            Map.entry("BencodeBench.krpcDecodeMutableGetResponse", "krpc_decode_mutable_get_response"),
            Map.entry("Ed25519Bench.sign", "ed25519_sign"),
            Map.entry("Ed25519Bench.verify", "ed25519_verify"),
            Map.entry("Ed25519Bench.verifyJdk", "ed25519_verify_jdk_sunec"),
            Map.entry("RoutingTableBench.closest8", "routing_closest8"),
            Map.entry("SecretBoxBench.seal256", "secretbox_seal_256b"),
            Map.entry("SecretBoxBench.open256", "secretbox_open_256b"));

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Fragment.args(argv);
        int forks = Integer.parseInt(a.getOrDefault("forks", "1"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "2"));
        int iterations = Integer.parseInt(a.getOrDefault("iterations", "3"));
        long timeMs = Long.parseLong(a.getOrDefault("time-ms", "1000"));
        String include = a.getOrDefault("include", "dev\\.scout\\.bench\\.micro\\..*Bench\\..*");
        Path out = Path.of(a.getOrDefault("out", "bench/results/parts/micro.txt"));
        Path json = Path.of(a.getOrDefault("json", "bench/results/jmh.json"));

        ChainedOptionsBuilder ob = new OptionsBuilder()
                .include(include)
                .mode(Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                .forks(forks)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.milliseconds(timeMs))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(timeMs))
                .threads(1)
                .jvmArgsAppend("-Xmx1g")
                .shouldFailOnError(true)
                .result(json.toString())
                .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON);
        Collection<RunResult> results = new Runner(ob.build()).run();

        Fragment f = new Fragment();
        f.put("jmh_forks", forks).put("jmh_warmup_iterations", warmup).put("jmh_iterations", iterations)
                .put("jmh_iteration_ms", timeMs);
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String shortName = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            String key = KEYS.getOrDefault(shortName, shortName.replace('.', '_'));
            double opsPerSecond = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            f.put(key + "_per_s", opsPerSecond);
            f.put(key + "_ns", 1e9 / opsPerSecond);
            f.put(key + "_per_s_error", Double.isNaN(error) ? null : error);
            System.out.printf(Locale.ROOT, "[micro] %-40s %,14.0f ops/s  %10.0f ns/op%n", key, opsPerSecond,
                    1e9 / opsPerSecond);
        }
        int[] sizes = BencodeBench.sizes();
        f.put("krpc_find_node_query_bytes", sizes[0]).put("krpc_find_node_response_bytes", sizes[1])
                .put("krpc_mutable_get_response_bytes", sizes[2])
                .put("routing_closest8_table_size", RoutingTableBench.size());
        f.write(out);
    }
}
