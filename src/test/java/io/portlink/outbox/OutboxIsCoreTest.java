package io.portlink.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The outbox is shared core: it may use the platform and the organisation (tenants, logos), never a feature or a page
 * (orders, vendors, mail templates, links, shipments, staff, portal, api). Features plug in through kinds,
 * {@link OutboxHandler} and {@link OutboxEvents}.
 */
class OutboxIsCoreTest {

    private static final Pattern PORTLINK_REFERENCE = Pattern.compile("io\\.portlink\\.([a-z]+)");

    @Test
    void theOutboxUsesNoFeatureOrPage() throws IOException {
        Path dir = Path.of("src/main/java/io/portlink/outbox");
        assertTrue(Files.isDirectory(dir), "run from the project directory");
        List<String> offending;
        try (Stream<Path> files = Files.list(dir)) {
            offending = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return PORTLINK_REFERENCE.matcher(Files.readString(f)).results().map(m -> m.group(1))
                            .filter(p -> !List.of("outbox", "organization", "platform").contains(p))
                            .map(p -> f.getFileName() + " uses io.portlink." + p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), offending);
    }
}
