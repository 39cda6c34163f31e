package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The access log's lines as an operator reads them: the message, and the same fields as the line's MDC (what
 * production's JSON lines carry under {@code mdc}), the address masked; an answer the client never got whole says so
 * instead of passing for a 200.
 */
@QuarkusTest
class AccessLogFieldsTest {

    /** A line of the access log: its message and the MDC it was written with. */
    record Line(String message, Map<String, String> mdc) {
    }

    final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();

    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = (ExtLogRecord) record;
            lines.add(new Line(ext.getFormattedMessage(), ext.getMdcCopy()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** What the last-resort error mapper logged as unexpected meanwhile. */
    final BlockingQueue<String> unexpected = new LinkedBlockingQueue<>();

    final Handler errors = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                unexpected.add(((ExtLogRecord) record).getFormattedMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Inject
    Fixtures fixtures;

    @BeforeEach
    void listen() {
        org.jboss.logmanager.Logger.getLogger("io.portlink.access").addHandler(capture);
        org.jboss.logmanager.Logger.getLogger(Problems.class.getName()).addHandler(errors);
    }

    @AfterEach
    void stop() {
        org.jboss.logmanager.Logger.getLogger("io.portlink.access").removeHandler(capture);
        org.jboss.logmanager.Logger.getLogger(Problems.class.getName()).removeHandler(errors);
    }

    /** The first line whose message contains {@code marker}, waiting for it up to 10 s (the log is written after). */
    private Line line(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Line line; (line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null;) {
            if (line.message().contains(marker)) {
                return line;
            }
        }
        throw new AssertionError("no access-log line with " + marker);
    }

    @Test
    void aLineCarriesItsFieldsAsMdcWithTheTokenMasked() throws Exception {
        String token = "pv_" + UUID.randomUUID().toString().replace("-", "") + "Xy7";
        given().get("/v/" + token + "/orders?page=2").then().statusCode(404);
        Line line = line("GET /v/" + Tokens.hint(token));
        assertTrue(line.message().matches("\\S+ GET /v/\\S+/orders\\?page=2 404 [0-9]+\\.[0-9] ms"), line.message());
        assertFalse(line.toString().contains(token.substring(8, 16)), "no part of the token: " + line);
        Map<String, String> mdc = line.mdc();
        assertEquals("GET", mdc.get("method"));
        assertEquals("/v/" + Tokens.hint(token) + "/orders?page=2", mdc.get("path"));
        assertEquals("404", mdc.get("status"));
        assertEquals("true", mdc.get("completed"));
        assertTrue(Double.parseDouble(mdc.get("durationMs")) >= 0, mdc.toString());
        assertNotNull(mdc.get("client"));
    }

    /**
     * A client that goes away while still sending its request (a phone losing its network mid-upload), thirty times:
     * the server may find the connection closed when it reads the body or only later, and neither may pass for an
     * answer given, nor be logged as an error of ours (a read that found the channel shut answered a 500 and an ERROR
     * line about one time in six, and that 500 was sometimes logged as completed).
     */
    @Test
    void anAnswerTheClientNeverGotIsNotLoggedAsA200() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (int i = 0; i < 30; i++) {
            String marker = io.portlink.testing.RawHttp.marker("abandoned");
            try (Socket socket = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/v1/purchase-orders?from=" + marker + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + tenant.apiKey() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"reference\": \"PO-").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } // closed with 980 bytes of the body still to come
            Line line = line(marker);
            assertTrue(line.message().matches(
                    "\\S+ POST /api/v1/purchase-orders\\?from=" + marker + " - [0-9]+\\.[0-9] ms, not completed"),
                    line.message());
            assertEquals("-", line.mdc().get("status"));
            assertEquals("false", line.mdc().get("completed"));
        }
        assertTrue(unexpected.isEmpty(), "a client gone is no error of ours: " + unexpected);
    }
}
