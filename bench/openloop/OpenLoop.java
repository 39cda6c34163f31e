import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate (bench/perf.sh): request i is due at start + i / rate whatever happened to the
 * earlier ones, and its latency is counted from that due time, not from when it went out, so a stall shows in the
 * percentiles instead of pausing the clock (no coordinated omission, unlike a closed loop such as wrk).
 *
 * usage: java OpenLoop.java BASE_URL URLS_FILE RATE SECONDS [MAX_IN_FLIGHT] [USER_AGENT] [WARM_SECONDS]
 * The first WARM_SECONDS (default 5) run at the same rate but are not counted: the generator's own JIT warm-up.
 * URLS_FILE: one URL or path a line, taken round-robin. Prints one line: requests=... rps=... p50_ms=... p99_ms=...
 * A request still unanswered after 5 s counts as a timeout; when MAX_IN_FLIGHT (default 256) requests are open a
 * due request is not sent and counts as "dropped" (its latency is then unknown: the run did not hold the rate).
 */
public class OpenLoop {
    public static void main(String[] args) throws Exception {
        String base = args[0].replaceAll("/$", "");
        List<URI> uris = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            line = line.strip();
            if (!line.isEmpty()) {
                uris.add(URI.create(base + line.replaceFirst("^https?://[^/]+", "")));
            }
        }
        double rate = Double.parseDouble(args[2]);
        double seconds = Double.parseDouble(args[3]);
        int maxInFlight = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        String agent = args.length > 5 ? args[5]
                : "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
        double warm = args.length > 6 ? Double.parseDouble(args[6]) : 5;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).connectTimeout(Duration.ofSeconds(5)).build();
        int skip = (int) Math.round(rate * warm);
        int total = skip + (int) Math.round(rate * seconds);
        long[] latency = new long[total]; // ns from due time to the end of the answer; -1: no answer
        Arrays.fill(latency, -1);
        AtomicLong non200 = new AtomicLong(), errors = new AtomicLong(), timeouts = new AtomicLong(),
                lastDone = new AtomicLong();
        long dropped = 0, maxLateNs = 0;
        Semaphore inFlight = new Semaphore(maxInFlight);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i >= skip) {
                maxLateNs = Math.max(maxLateNs, -wait);
            }
            if (!inFlight.tryAcquire()) {
                dropped += i >= skip ? 1 : 0;
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(uris.get(i % uris.size())).timeout(Duration.ofSeconds(5))
                    .header("User-Agent", agent).header("Accept", "text/html").GET().build();
            int n = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                long end = System.nanoTime();
                inFlight.release();
                if (n < skip) {
                    return;
                }
                lastDone.accumulateAndGet(end, Math::max);
                if (failure != null) {
                    if (failure instanceof java.net.http.HttpTimeoutException
                            || failure.getCause() instanceof java.net.http.HttpTimeoutException) {
                        timeouts.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                    return;
                }
                if (response.statusCode() != 200) {
                    non200.incrementAndGet();
                }
                latency[n] = end - due;
            });
        }
        inFlight.acquire(maxInFlight); // every answer in (or timed out)
        long[] ok = Arrays.stream(latency, skip, total).filter(l -> l >= 0).sorted().toArray();
        long measuredStart = start + skip * interval;
        double span = (Math.max(lastDone.get(), start + (total - 1) * interval) - measuredStart) / 1e9;
        System.out.printf(java.util.Locale.ROOT,
                "requests=%d answered=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f"
                        + " max_ms=%.2f non200=%d errors=%d timeouts=%d dropped=%d max_send_lag_ms=%.1f%n",
                total - skip, ok.length, span, ok.length / span, pct(ok, 50), pct(ok, 90), pct(ok, 99), pct(ok, 99.9),
                ok.length == 0 ? 0 : ok[ok.length - 1] / 1e6, non200.get(), errors.get(), timeouts.get(), dropped,
                maxLateNs / 1e6);
        System.exit(0);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
