package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.SignInCounter;
import io.portlink.organization.SignInThrottle;
import io.portlink.organization.StaffUser;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.specification.RequestSpecification;

/**
 * Password guessing at sign-in is slowed down and then stopped, per account and client address, without ever locking
 * the right person out for good. Clients are told apart by their loopback address (127.0.0.x), as Vert.x reports it.
 */
@QuarkusTest
class SignInThrottleTest {

    private static final String WRONG = "not-the-password";

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    SignInThrottle throttle;

    @BeforeEach
    @AfterEach
    @Transactional
    void forgetCounters() {
        // other test classes sign in from 127.0.0.1 too
        SignInCounter.deleteAll();
    }

    /** A request from this loopback address (the client address the server sees). */
    private static RequestSpecification from(String address) {
        try {
            InetAddress local = InetAddress.getByName(address);
            return given()
                    .config(RestAssuredConfig.config().httpClient(
                            HttpClientConfig.httpClientConfig().setParam("http.route.local-address", local)))
                    .redirects().follow(false);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the sign-in form sends the browser: the queue, the error page, or "try again in N minutes". */
    private static String attempt(String address, String email, String password) {
        return from(address).formParam("j_username", email).formParam("j_password", password).post("/j_security_check")
                .then().statusCode(302).extract().header("Location");
    }

    private static int waitMinutes(String location) {
        Matcher m = Pattern.compile("wait=(\\d+)").matcher(location);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Transactional
    long userId(String email) {
        return StaffUser.findByEmail(email).orElseThrow().id;
    }

    private static long logLines(String... parts) throws Exception {
        return Files.readAllLines(Path.of("target/portlink-test.log"), StandardCharsets.UTF_8).stream()
                .filter(line -> java.util.Arrays.stream(parts).allMatch(line::contains)).count();
    }

    @Test
    void oneClientGuessingIsStoppedAndTheRightPasswordWaitsUntilTheLockEnds() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String email = tenant.adminEmail();
        long id = userId(email);

        // the attack: 150 wrong passwords from one client; this attacker even waits out every delay
        StringBuilder waits = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            int wait = waitMinutes(attempt("127.0.0.1", email, WRONG));
            waits.append(wait).append(' ');
            if (i < 10) {
                clock.advance(Duration.ofMinutes(wait));
            }
        }
        assertEquals("0 0 0 0 1 2 4 8 15 15 ", waits.toString(),
                "four failures pass, then each waits twice as long, and the tenth locks");

        // locked: the right password from this client is refused without a check, and so is everything else
        String refused = attempt("127.0.0.1", email, Fixtures.PASSWORD);
        assertEquals(15, waitMinutes(refused));
        given().get(refused).then().statusCode(200).body(containsString("Too many attempts to sign in"))
                .body(containsString("Try again in 15 minutes"));
        for (int i = 0; i < 139; i++) {
            assertTrue(waitMinutes(attempt("127.0.0.1", email, WRONG)) > 0);
        }
        clock.advance(Duration.ofMinutes(14));
        assertEquals(1, waitMinutes(attempt("127.0.0.1", email, Fixtures.PASSWORD)));

        // logged once, with the masked address, the user and the client
        assertEquals(1, logLines("WARN", "Sign-in locked for 15 minutes", "(user " + id + ") from client 127.0.0.1"));
        assertEquals(0, logLines(email));

        // the lock ends by itself
        clock.advance(Duration.ofMinutes(1));
        assertTrue(attempt("127.0.0.1", email, Fixtures.PASSWORD).endsWith("/app"));
    }

    @Test
    void aLockedClientDoesNotLockTheAccountForEveryoneElse() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (int i = 1; i <= 10; i++) {
            int wait = waitMinutes(attempt("127.0.0.1", tenant.adminEmail(), WRONG));
            if (i < 10) {
                clock.advance(Duration.ofMinutes(wait));
            }
        }
        assertEquals(15, waitMinutes(attempt("127.0.0.1", tenant.adminEmail(), Fixtures.PASSWORD)));
        assertTrue(attempt("127.0.0.2", tenant.adminEmail(), Fixtures.PASSWORD).endsWith("/app"),
                "the right person at another address signs in");
    }

    /** Every spelling that reaches the account (case, spaces, control characters around it) shares its counters. */
    @Test
    void anotherSpellingOfTheAddressDoesNotEscapeTheLock() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (int i = 1; i <= 10; i++) {
            int wait = waitMinutes(attempt("127.0.0.1", tenant.adminEmail(), WRONG));
            if (i < 10) {
                clock.advance(Duration.ofMinutes(wait));
            }
        }
        for (String spelling : new String[] { tenant.adminEmail() + "\u0001", "\u0002" + tenant.adminEmail(),
                tenant.adminEmail().toUpperCase(java.util.Locale.ROOT) + "\u001b",
                " " + tenant.adminEmail() + " \t" }) {
            assertEquals(15, waitMinutes(attempt("127.0.0.1", spelling, Fixtures.PASSWORD)),
                    "still locked when spelled " + spelling.codePoints().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void guessingSpreadOverManyAddressesLocksTheAccountButNotForAddressesItSignedInFrom() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String clerk = "clerk-" + tenant.id() + "@example.com";
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .formParam("email", clerk).formParam("password", "ledger-tulip-harbour").post("/app/admin/users").then()
                .statusCode(303);
        assertTrue(attempt("127.0.0.2", clerk, "ledger-tulip-harbour").endsWith("/app"));

        // 30 failures from 10 addresses, 3 each: no single client is slowed down, the account is (waited out)
        int wait = 0;
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMinutes(wait));
            wait = waitMinutes(attempt("127.0.0." + (10 + i / 3), clerk, WRONG));
        }
        assertEquals(15, wait);
        assertEquals(15, waitMinutes(attempt("127.0.0.99", clerk, "ledger-tulip-harbour")),
                "a new address waits, even with the right password");
        assertTrue(attempt("127.0.0.2", clerk, "ledger-tulip-harbour").endsWith("/app"),
                "the address the clerk signed in from before still gets in");

        // the admin sees the lock and lifts it
        given().filter(admin).get("/app/admin").then().body(containsString("sign-in locked until"));
        Matcher unlock = Pattern.compile("/app/admin/users/(\\d+)/unlock")
                .matcher(given().filter(admin).get("/app/admin").asString());
        assertTrue(unlock.find());
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .post("/app/admin/users/" + unlock.group(1) + "/unlock").then().statusCode(303)
                .header("Location", containsString("done=unlocked"));
        given().filter(admin).get("/app/admin").then().body(org.hamcrest.Matchers.not(containsString("locked until")));
        assertTrue(attempt("127.0.0.99", clerk, "ledger-tulip-harbour").endsWith("/app"));
    }

    @Test
    void oneClientTryingManyAccountsIsStoppedWhateverItTries() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String last = "";
        for (int i = 0; i < 20; i++) {
            last = attempt("127.0.0.3", "nobody-" + i + "-" + tenant.id() + "@example.com", WRONG);
        }
        assertEquals(1, waitMinutes(last), "the twentieth failure from one address starts the delays");
        assertEquals(1, waitMinutes(attempt("127.0.0.3", tenant.adminEmail(), Fixtures.PASSWORD)));
        assertTrue(attempt("127.0.0.4", tenant.adminEmail(), Fixtures.PASSWORD).endsWith("/app"));
    }

    @Test
    void unknownAddressesAreThrottledLikeKnownOnes() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String unknown = "nobody-" + tenant.id() + "@example.com";
        for (int i = 0; i < 4; i++) {
            assertEquals(attempt("127.0.0.5", tenant.adminEmail(), WRONG), attempt("127.0.0.6", unknown, WRONG));
        }
        assertEquals(1, waitMinutes(attempt("127.0.0.5", tenant.adminEmail(), WRONG)));
        assertEquals(1, waitMinutes(attempt("127.0.0.6", unknown, WRONG)));
    }

    @Test
    void oldCountersAreCleanedButKnownAddressesKept() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        attempt("127.0.0.7", tenant.adminEmail(), WRONG);
        attempt("127.0.0.8", tenant.adminEmail(), Fixtures.PASSWORD);
        long before = count();
        clock.advance(Duration.ofHours(25));
        throttle.clean();
        // the client that signed in stays known; the failures are forgotten
        assertEquals(1, count(), "of " + before);
        clock.advance(Duration.ofDays(90));
        throttle.clean();
        assertEquals(0, count());
    }

    @Test
    void simultaneousFailuresAreAllCounted() throws Exception {
        // real threads: the first failures of new counters race to insert the same rows
        int threads = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        var start = new java.util.concurrent.CountDownLatch(1);
        var results = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return throttle.failed("race@example.com", "127.0.0.9", null);
            }));
        }
        start.countDown();
        for (var result : results) {
            result.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(java.util.List.of(threads, threads, threads), failures());
    }

    @Transactional
    java.util.List<Integer> failures() {
        return SignInCounter.<SignInCounter> listAll().stream().map(c -> c.failures).toList();
    }

    @Transactional
    long count() {
        return SignInCounter.count();
    }

}
