package io.portlink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Requests sent from a chosen local address (127.0.0.2 is as much this machine as 127.0.0.1, but another peer to the
 * service), and the service's log lines they leave behind.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends the head of a POST declaring a body of {@code length} bytes with the extra header lines, then 64 KB of it
     * (the service answers an over-limit body before it has all of it); returns the answer as read until it holds its
     * head and {@code end}, or the connection closes.
     */
    public static String postOverLimit(String path, long length, String end, String... headerLines) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
            for (String line : headerLines) {
                head.append(line).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("Content-Length: ").append(length).append("\r\n\r\n").toString()
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            out.write(chunk);
            out.flush();
            java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (!seen.toString(StandardCharsets.UTF_8).contains("\r\n\r\n")
                    || !seen.toString(StandardCharsets.UTF_8).contains(end)) {
                if ((n = socket.getInputStream().read(buffer)) <= 0) {
                    break;
                }
                seen.write(buffer, 0, n);
            }
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    /** Sends one GET from {@code localAddress} with extra header lines; returns the whole response as text. */
    public static String get(String localAddress, String pathAndQuery, String... headerLines) throws IOException {
        int port = Integer.getInteger("testport", 8081);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(
                    "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A unique marker to put in a request's query and find its access-log line by: lower-case letters only, the shape
     * of a route word, which the access log's masking of secret-looking URL pieces leaves whole.
     */
    public static String marker(String prefix) {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder marker = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 16; i++) {
            marker.append((char) ('a' + random.nextInt(26)));
        }
        return marker.toString();
    }

    /**
     * The first line containing {@code marker} of the log file the running service writes
     * ({@code quarkus.log.file.path}: {@code target/portlink-test.log}, another under a profile that moves it), waiting
     * up to 10 s for the access log to be written.
     */
    public static String logLine(String marker) throws IOException {
        Path log = Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var line = Files.readAllLines(log).stream().filter(l -> l.contains(marker)).findFirst();
            if (line.isPresent() || System.nanoTime() > deadline) {
                return line.orElse(null);
            }
            // the access log line is written when the response has ended, which may be just after the client read it
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
