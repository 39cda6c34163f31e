package io.portlink.platform;

import java.text.MessageFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;
import io.quarkus.runtime.LaunchMode;

/**
 * Masks every link token or API key in every log line, whoever wrote it, in every spelling a URL can carry, and the
 * values of the configured secrets ({@link #SECRETS}) wherever they appear. One exception, in dev mode only: the mails
 * the mock mailer logs ({@link #MAIL_LOGGER}, {@code %dev.quarkus.mailer.mock=true}) keep their links whole, so that a
 * developer can open a link from a logged mail; prod and test mask those lines like any other ({@link #masks}). The
 * message, the exception chain (messages of causes and suppressed exceptions) and the MDC and NDC values are masked
 * before any handler formats the line, so text and JSON lines ({@code quarkus-logging-json}) are alike.
 */
@LoggingFilter(name = "portlink-token-mask")
public final class TokenMaskingFilter implements Filter {

    /** Settings whose values are secrets that have no prefix of their own (or may have none): masked by value. */
    static final List<String> SECRETS = List.of("portlink.operator.token", "portlink.bootstrap.api-key",
            "portlink.bootstrap.admin-password", "quarkus.http.auth.session.encryption-key",
            "quarkus.datasource.password", "quarkus.mailer.password");

    /**
     * The logger category of Quarkus' mailer ({@code MutinyMailerImpl.LOGGER}), which logs each mail with its bodies
     * when the mailer is a mock. Not the class's name: {@code TokenMaskingTest} reads the category from the mailer
     * itself.
     */
    static final String MAIL_LOGGER = "quarkus-mailer";

    private volatile Map<String, String> secrets;

    /**
     * Whether a line of {@code logger} is masked in {@code mode}: always, except the mailer's lines in dev mode (mails
     * never leave a developer's machine there; their links must open).
     */
    static boolean masks(LaunchMode mode, String logger) {
        return mode != LaunchMode.DEVELOPMENT || !MAIL_LOGGER.equals(logger);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!masks(LaunchMode.current(), record.getLoggerName())) {
            return true;
        }
        String message = record.getMessage();
        Object[] params = record.getParameters();
        if (params != null && params.length > 0 && message != null) {
            // Format first so a token passed as a parameter is masked too.
            try {
                message = message.contains("{0") ? MessageFormat.format(message, params)
                        : String.format(message, params);
            } catch (RuntimeException e) {
                // not a format string after all: keep the raw message
            }
            record.setParameters(null);
        }
        Map<String, String> known = secrets();
        record.setMessage(Tokens.mask(message, known));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            record.setThrown(mask(thrown, known, new IdentityHashMap<>()));
        }
        if (record instanceof ExtLogRecord ext) {
            // MDC values are written as fields of a JSON line (and by %X in a pattern): masked like the message
            Map<String, String> mdc = ext.getMdcCopy();
            for (var entry : mdc.entrySet()) {
                String masked = Tokens.mask(entry.getValue(), known);
                if (masked != null && !masked.equals(entry.getValue())) {
                    ext.putMdc(entry.getKey(), masked);
                }
            }
            String ndc = ext.getNdc();
            if (ndc != null && !ndc.isEmpty()) {
                ext.setNdc(Tokens.mask(ndc, known));
            }
        }
        return true;
    }

    /**
     * The exception as it may be logged: itself when no message in its chain (causes, suppressed) carries a token or
     * secret, else a copy of the whole chain with masked messages and the original stack traces.
     */
    static Throwable mask(Throwable thrown, Map<String, String> known, IdentityHashMap<Throwable, Throwable> seen) {
        if (seen.containsKey(thrown)) {
            return seen.get(thrown); // a cycle in the chain
        }
        seen.put(thrown, thrown);
        String message = thrown.getMessage();
        String masked = Tokens.mask(message, known);
        Throwable cause = thrown.getCause() == null || thrown.getCause() == thrown ? null
                : mask(thrown.getCause(), known, seen);
        Throwable[] suppressed = thrown.getSuppressed();
        Throwable[] maskedSuppressed = new Throwable[suppressed.length];
        boolean changed = !Objects.equals(message, masked) || cause != thrown.getCause() && cause != null;
        for (int i = 0; i < suppressed.length; i++) {
            maskedSuppressed[i] = mask(suppressed[i], known, seen);
            changed |= maskedSuppressed[i] != suppressed[i];
        }
        if (!changed) {
            return thrown;
        }
        MaskedException copy = new MaskedException(thrown, masked, cause);
        for (Throwable s : maskedSuppressed) {
            copy.addSuppressed(s);
        }
        seen.put(thrown, copy);
        return copy;
    }

    /** Read once configuration is there; lines logged before that are masked by prefix only. */
    private Map<String, String> secrets() {
        Map<String, String> current = secrets;
        if (current == null) {
            try {
                var config = ConfigProvider.getConfig();
                Map<String, String> values = new LinkedHashMap<>();
                for (String name : SECRETS) {
                    config.getOptionalValue(name, String.class).ifPresent(value -> values.put(name, value));
                }
                current = secrets = Map.copyOf(values);
            } catch (RuntimeException | LinkageError e) {
                return Map.of(); // configuration not ready yet: try again on the next line
            }
        }
        return current;
    }

    /**
     * Stands in for an exception whose message, or a cause's or suppressed one's, carried a token or a secret: the
     * original class name and masked message, the original stack trace, the masked cause.
     */
    static final class MaskedException extends RuntimeException {
        MaskedException(Throwable original, String maskedMessage, Throwable cause) {
            super(maskedMessage == null ? original.getClass().getName()
                    : original.getClass().getName() + ": " + maskedMessage, cause, true, true);
            setStackTrace(original.getStackTrace());
        }
    }
}
