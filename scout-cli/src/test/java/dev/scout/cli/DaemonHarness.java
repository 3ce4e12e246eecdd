package dev.scout.cli;

import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.DaemonFile;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scout.cli.api.Jackson;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code scout daemon} running in this JVM (its own thread, output captured) for one state directory,
 * and plain HTTP calls to its API. {@link #start} returns once {@code daemon.json} is written and the
 * health check answers.
 */
final class DaemonHarness implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Path dir;
    final DaemonFile file;
    private final CompletableFuture<Integer> exit;
    private final StringWriter out;
    private final StringWriter err;

    private DaemonHarness(Path dir, DaemonFile file, CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
        this.dir = dir;
        this.file = file;
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code scout --state-dir DIR --bootstrap ENTRY [args] daemon --poll-interval 1}. */
    static DaemonHarness start(Path dir, String bootstrap, String... globalArgs) throws Exception {
        return startWith(dir, bootstrap, List.of(), globalArgs);
    }

    /** As {@link #start}, with {@code daemonArgs} after {@code daemon --poll-interval 1}. */
    static DaemonHarness startWith(Path dir, String bootstrap, List<String> daemonArgs, String... globalArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--state-dir", dir.toString(), "--bootstrap", bootstrap));
        args.addAll(List.of(globalArgs));
        args.addAll(List.of("daemon", "--poll-interval", "1"));
        args.addAll(daemonArgs);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            CommandLine cl = ScoutCommand.newCommandLine(new ScoutCommand(Map.of()));
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            try {
                exit.complete(cl.execute(args.toArray(String[]::new)));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "test-daemon-" + dir.getFileName());
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (exit.isDone()) {
                throw new AssertionError("the daemon exited with " + exit.get() + "\n" + out + err);
            }
            var f = DaemonFile.read(dir);
            if (f.isPresent() && DaemonClient.find(dir).isPresent()) {
                return new DaemonHarness(dir, f.get(), exit, out, err);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon did not come up within 60 s\n" + out + err);
            }
            try {
                exit.get(20, TimeUnit.MILLISECONDS); // wait a little, or for an early exit
            } catch (java.util.concurrent.TimeoutException e) {
                // still starting
            }
        }
    }

    String log() {
        return out + "--- err ---\n" + err;
    }

    /** The HTTP answer to METHOD path with the right token. */
    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, "Bearer " + file.token());
    }

    HttpResponse<String> call(String method, String path, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(file.url() + path)).timeout(Duration.ofSeconds(150))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON body of a call that must answer {@code status}. */
    JsonNode expect(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isEqualTo(status);
        return Jackson.parse(r.body());
    }

    /**
     * The JSON answer to {@code GET path} once {@code wanted} holds for it, polling every 200 ms for at
     * most 60 s (fails naming {@code what} otherwise).
     */
    JsonNode await(String path, java.util.function.Predicate<JsonNode> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode r = expect(200, "GET", path, null);
            if (wanted.test(r)) {
                return r;
            }
            assertThat(System.nanoTime()).as(what + " within 60 s; last answer " + r).isLessThan(deadline);
            Thread.sleep(200); // the poll interval of this bounded wait
        }
    }

    /** Stops it with {@code scout stop} and waits for the command to return. */
    void stop() throws Exception {
        if (exit.isDone()) {
            return;
        }
        CliTestSupport.Run r = CliTestSupport.run("--state-dir", dir.toString(), "stop");
        assertThat(r.exit()).as(r + log()).isZero();
        assertThat(exit.get(60, TimeUnit.SECONDS)).as(log()).isZero();
    }

    /** Waits for the daemon command to return (stopped some other way); its exit code. */
    int awaitExit() throws Exception {
        return exit.get(60, TimeUnit.SECONDS);
    }

    boolean exited() {
        return exit.isDone();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
