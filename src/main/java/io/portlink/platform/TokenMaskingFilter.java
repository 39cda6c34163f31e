package io.portlink.platform;

import java.text.MessageFormat;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/** Masks every link token or API key in every log line, whoever wrote it. */
@LoggingFilter(name = "portlink-token-mask")
public final class TokenMaskingFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
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
        record.setMessage(Tokens.mask(message));
        if (record.getThrown() != null && record.getThrown().getMessage() != null
                && Tokens.ANY.matcher(record.getThrown().getMessage()).find()) {
            record.setThrown(new MaskedException(record.getThrown()));
        }
        return true;
    }

    /** Stands in for an exception whose message carried a token. */
    static final class MaskedException extends RuntimeException {
        MaskedException(Throwable original) {
            super(original.getClass().getName() + ": " + Tokens.mask(original.getMessage()), null, false, false);
            setStackTrace(original.getStackTrace());
        }
    }
}
