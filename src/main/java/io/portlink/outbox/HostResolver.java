package io.portlink.outbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Looks up a webhook receiver's host name, once per try: the addresses it gives are both the ones checked against
 * {@code portlink.webhooks.allow-local} and the ones connected to ({@link WebhookDelivery}), so a name that answers a
 * public address to the check and a private one a moment later (DNS rebinding) never reaches the private one. Uses the
 * JVM's resolver ({@code /etc/hosts}, then DNS, with the JVM's cache).
 */
@ApplicationScoped
public class HostResolver {

    /**
     * The addresses of {@code host} (a name or an IP literal without brackets), in the resolver's order; never empty.
     *
     * @throws UnknownHostException
     *             when the name has no address
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}
