package io.portlink.platform;

import java.util.List;

import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The one file of a multipart field (a CSV to import, a photo, a logo). A form's file input sends one part; a request
 * with two parts of one name would have the second silently ignored, and its sender believe both were read: it is
 * refused instead, naming the field, and nothing of it is read.
 */
public final class Uploads {

    private Uploads() {
    }

    /**
     * What is wrong with a field's parts, or null when it holds exactly one non-empty file: {@code choose} when none
     * was sent (or only a form's empty part), that the file is empty when a named file has no bytes, "send one file at
     * a time" when several were (an empty one beside a file too).
     */
    public static ValidationException.FieldError problem(String field, List<FileUpload> parts, String choose) {
        long sent = parts == null ? 0 : parts.stream().filter(f -> f.size() > 0).count();
        if (sent == 0) {
            // a form's file input with no file chosen sends an empty part without a name: "choose"; a named file
            // of no bytes was chosen, and is empty
            var named = parts == null ? java.util.Optional.<FileUpload> empty()
                    : parts.stream().filter(f -> f.fileName() != null && !f.fileName().isBlank()).findFirst();
            return named.isEmpty() ? new ValidationException.FieldError(null, field, choose, null)
                    : new ValidationException.FieldError(null, field,
                            "the file \"" + named.get().fileName() + "\" is empty (0 bytes): send one with its content",
                            null);
        }
        // an empty part beside the file is a second file too (a form's one input sends one part): which was meant
        // cannot be told, so neither is read
        long all = parts.size();
        return all == 1 ? null
                : new ValidationException.FieldError(null, field, "send one file at a time: this request has " + all
                        + " files named \"" + field + "\", and nothing of them was read", null);
    }

    /** The first non-empty file of the parts: the one file once {@link #problem} found nothing wrong. */
    public static FileUpload sent(List<FileUpload> parts) {
        return parts.stream().filter(f -> f.size() > 0).findFirst().orElseThrow();
    }

    /**
     * The field's one non-empty file.
     *
     * @throws ValidationException
     *             with {@link #problem} when there is none or several
     */
    public static FileUpload one(String field, List<FileUpload> parts, String choose) {
        var problem = problem(field, parts, choose);
        if (problem != null) {
            throw new ValidationException(List.of(problem));
        }
        return sent(parts);
    }
}
