package io.portlink.platform;

import java.text.MessageFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.logging.LoggingFilter;
import io.quarkus.runtime.LaunchMode;

/**
 * Masks every link token or API key in every log line, whoever wrote it, in every spelling a URL can carry, and the
 * values of the configured secrets ({@link #SECRETS}) wherever they appear. One exception, in dev mode only: the mails
 * the mock mailer logs ({@link #MAIL_LOGGER}, {@code %dev.quarkus.mailer.mock=true}) keep their links whole, so that a
 * developer can open a link from a logged mail; prod and test mask those lines like any other ({@link #masks}).
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
        if (thrown != null && thrown.getMessage() != null) {
            String masked = Tokens.mask(thrown.getMessage(), known);
            if (!masked.equals(thrown.getMessage())) {
                record.setThrown(new MaskedException(thrown, masked));
            }
        }
        return true;
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

    /** Stands in for an exception whose message carried a token or a secret. */
    static final class MaskedException extends RuntimeException {
        MaskedException(Throwable original, String maskedMessage) {
            super(original.getClass().getName() + ": " + maskedMessage, null, false, false);
            setStackTrace(original.getStackTrace());
        }
    }
}
