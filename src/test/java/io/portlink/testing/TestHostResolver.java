package io.portlink.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.portlink.outbox.HostResolver;

/**
 * Replaces the webhook receivers' resolver in tests: a name a test gave answers lets the test decide what the name
 * resolves to, and counts its lookups; every other name resolves as in production.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestHostResolver extends HostResolver {

    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> given = answers.get(host);
        if (given == null) {
            return super.resolve(host);
        }
        lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        return given;
    }

    /** From now on {@code host} resolves to {@code addresses}, in that order. */
    public void answer(String host, InetAddress... addresses) {
        answers.put(host, List.of(addresses));
        lookups.remove(host);
    }

    /** How many times {@code host} was looked up since {@link #answer}. */
    public int lookups(String host) {
        AtomicInteger n = lookups.get(host);
        return n == null ? 0 : n.get();
    }

    /** Forgets every answer given. */
    public void reset() {
        answers.clear();
        lookups.clear();
    }
}
