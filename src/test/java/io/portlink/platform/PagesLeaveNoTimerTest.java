package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.Shipment;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.StaffClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The pages anyone may ask for at any rate (link pages, their "not available" page, sign-in, invitation and connection
 * links, the 404 of an address no route takes, which scanners ask for most) are rendered before they leave the resource
 * ({@link HtmlPages}). A template handed to Quarkus REST instead is rendered asynchronously under a timer of
 * {@code quarkus.qute.timeout} on the worker pool's scheduler, which stays queued, holding the request, for 10 s after
 * the page left: at a few thousand pages a second, hundreds of megabytes and a collection every few hundred
 * milliseconds (README "Benchmarks"). The scheduler Mutiny hands out is wrapped here and each timer of that length
 * armed during a request is counted; a signed-in staff page, still rendered the framework's way, shows the count sees
 * such a timer.
 */
@QuarkusTest
class PagesLeaveNoTimerTest {

    @Inject
    Fixtures fixtures;

    @ConfigProperty(name = "quarkus.qute.timeout", defaultValue = "10000")
    long renderTimeoutMillis;

    ScheduledExecutorService original;
    Counting counting;

    @BeforeEach
    void countTimers() {
        original = Infrastructure.getDefaultWorkerPool();
        counting = new Counting(original, renderTimeoutMillis);
        Infrastructure.setDefaultExecutor(counting);
    }

    @AfterEach
    void restore() {
        Infrastructure.setDefaultExecutor(original);
    }

    /** Render timers armed while {@code request} ran. */
    private int timersDuring(Runnable request) {
        int before = counting.renderTimers.get();
        request.run();
        return counting.renderTimers.get() - before;
    }

    @Test
    void linkPagesAndPublicPagesArmNoRenderTimer() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String vendor = Fixtures.createOrderWithLink(tenant.apiKey(), Fixtures.uniqueReference(), "v@vendor.example");
        long shipmentId = fixtures.shipment(tenant.id());
        String reference = QuarkusTransaction.requiringNew()
                .call(() -> Shipment.<Shipment> findById(shipmentId).reference);
        String tracking = path(given().header("Authorization", "Bearer " + tenant.apiKey())
                .post("/api/v1/shipments/" + reference + "/tracking-link").then().statusCode(201).extract().path("url"),
                "/t/");
        String driver = path(given().header("Authorization", "Bearer " + tenant.apiKey())
                .post("/api/v1/shipments/" + reference + "/driver-link").then().statusCode(201).extract().path("url"),
                "/d/");

        List<String> pages = List.of(vendor, vendor + "/orders", tracking, driver, "/v/pv_unknown0000000000000000",
                "/t/pt_unknown0000000000000000", "/d/pd_unknown0000000000000000", "/app/login",
                "/app/invite/unknown-invitation", "/app/connect/unknown-connection", "/wp-login.php", "/.env",
                "/nothing-here");
        List<String> armed = new ArrayList<>();
        for (String page : pages) {
            int timers = timersDuring(() -> {
                String body = given().header("User-Agent", PortalClient.BROWSER).get(page).then().extract().asString();
                assertTrue(body.contains("</html>"), page + " answered a page");
            });
            if (timers > 0) {
                armed.add(page + ": " + timers);
            }
        }
        assertEquals(List.of(), armed, "pages whose render armed a " + renderTimeoutMillis + " ms timer");

        // the control: a page returned as a template to the REST layer arms one
        CookieFilter admin = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        assertEquals(1, timersDuring(() -> given().filter(admin).get("/app/orders").then().statusCode(200)),
                "a staff page rendered by the REST layer arms its timer, so the count sees one");
    }

    private static String path(String url, String prefix) {
        return url.substring(url.indexOf(prefix));
    }

    /** Mutiny's scheduler, counting the timers of the render timeout's length armed through it. */
    static final class Counting implements ScheduledExecutorService {

        final ScheduledExecutorService delegate;
        final long renderTimeoutMillis;
        final AtomicInteger renderTimers = new AtomicInteger();

        Counting(ScheduledExecutorService delegate, long renderTimeoutMillis) {
            this.delegate = delegate;
            this.renderTimeoutMillis = renderTimeoutMillis;
        }

        private void count(long delay, TimeUnit unit) {
            if (Duration.of(delay, unit.toChronoUnit()).toMillis() == renderTimeoutMillis) {
                renderTimers.incrementAndGet();
            }
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            count(delay, unit);
            return delegate.schedule(command, delay, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            count(delay, unit);
            return delegate.schedule(callable, delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return delegate.scheduleAtFixedRate(command, initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                TimeUnit unit) {
            return delegate.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return delegate.submit(task);
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            return delegate.submit(task, result);
        }

        @Override
        public Future<?> submit(Runnable task) {
            return delegate.submit(task);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
            return delegate.invokeAll(tasks);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException {
            return delegate.invokeAll(tasks, timeout, unit);
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
                throws InterruptedException, ExecutionException {
            return delegate.invokeAny(tasks);
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return delegate.invokeAny(tasks, timeout, unit);
        }

        @Override
        public void execute(Runnable command) {
            delegate.execute(command);
        }
    }
}
