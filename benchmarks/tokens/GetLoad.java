import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop GET load of a running service: CONNS requests in flight (one per keep-alive connection),
 * WARMUP seconds unmeasured, then SECONDS measured; prints requests/s and latency percentiles. Any answer
 * other than 200 stops the run, so a refused token cannot pass for a fast one.
 * Usage: java -cp CLASSPATH GetLoad.java PORT TOKEN PATH CONNS WARMUP SECONDS
 */
public class GetLoad {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        String token = a[1], path = a[2];
        int conns = Integer.parseInt(a[3]);
        long warmup = Long.parseLong(a[4]) * 1_000_000_000L, measured = Long.parseLong(a[5]) * 1_000_000_000L;
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1")
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(conns));
        long start = System.nanoTime();
        long from = start + warmup, to = from + measured;
        AtomicLong count = new AtomicLong();
        long[] latencies = new long[5_000_000];
        AtomicLong n = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(conns);
        for (int i = 0; i < conns; i++) {
            new Object() {
                void next() {
                    long t0 = System.nanoTime();
                    if (t0 > to || failed.get()) {
                        done.countDown();
                        return;
                    }
                    client.request(HttpMethod.GET, path).compose(r -> r.putHeader("Authorization", "Bearer " + token).send()
                            .compose(resp -> resp.body().map(b -> resp.statusCode()))).onComplete(ar -> {
                        long t1 = System.nanoTime();
                        if (ar.failed() || ar.result() != 200) {
                            System.err.println("failed: " + (ar.failed() ? ar.cause() : "HTTP " + ar.result()));
                            failed.set(true);
                        } else if (t0 >= from && t1 <= to) {
                            count.incrementAndGet();
                            long k = n.getAndIncrement();
                            if (k < latencies.length) {
                                latencies[(int) k] = t1 - t0;
                            }
                        }
                        next();
                    });
                }
            }.next();
        }
        done.await();
        vertx.close();
        if (failed.get()) {
            System.exit(1);
        }
        long[] l = Arrays.copyOf(latencies, (int) Math.min(n.get(), latencies.length));
        Arrays.sort(l);
        System.out.printf("%s: %d in flight, %.0f requests/s, p50 %.2f ms, p99 %.2f ms (%d requests in %d s)%n", path, conns,
                count.get() / (measured / 1e9), l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, count.get(),
                measured / 1_000_000_000L);
    }
}
