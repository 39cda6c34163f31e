package io.portlink.platform;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: {@code page} counts from 0, {@code size} rows per page. Read from the query text rather than as
 * JAX-RS {@code int} parameters, so that a wrong value ({@code page=abc}, {@code -1}, {@code 2147483647}) answers a 400
 * that names it, never an empty 404 or a negative SQL offset (which PostgreSQL refuses with an error).
 * <p>
 * A list fetches {@link #fetch()} rows from {@link #offset()} (one more than the page) and hands them to
 * {@link #page(List)}: the extra row says whether another page follows. Lists do not count their rows: a count reads
 * the whole list on every page load, which costs the size of the table.
 */
public record Paging(int page, int size) {

    /** Most rows on one page (API {@code size}). */
    public static final int MAX_SIZE = 200;
    /** Highest page number: deep enough for any list, and {@code MAX_PAGE * MAX_SIZE} still fits an int offset. */
    public static final int MAX_PAGE = 100_000;

    /**
     * @throws ValidationException
     *             naming each value out of range
     */
    public Paging {
        var errors = new ValidationException.Builder();
        if (page < 0 || page > MAX_PAGE) {
            errors.add("page", "must be a whole number from 0 to " + MAX_PAGE, Integer.toString(page));
        }
        if (size < 1 || size > MAX_SIZE) {
            errors.add("size", "must be a whole number from 1 to " + MAX_SIZE, Integer.toString(size));
        }
        errors.throwIfAny();
    }

    /**
     * One page of a list as pages and the API show it: at most {@code size} {@code items}, {@code page} from 0, and
     * whether another page follows.
     */
    public record Page<T>(List<T> items, int page, int size, boolean hasNext) {

        /** Whether a page comes before this one. */
        public boolean hasPrevious() {
            return page > 0;
        }

        /** The same page with each item mapped (an API record of an entity's view, say). */
        public <R> Page<R> map(Function<? super T, ? extends R> f) {
            return new Page<>(items.stream().<R> map(f).toList(), page, size, hasNext);
        }
    }

    /** Rows to skip. */
    public int offset() {
        return page * size;
    }

    /** Rows to fetch from {@link #offset()}: one more than the page, which tells whether another page follows. */
    public int fetch() {
        return size + 1;
    }

    /** The page of rows fetched by {@link #offset()} and {@link #fetch()}: the extra row only says "there is more". */
    public <T> Page<T> page(List<T> fetched) {
        boolean more = fetched.size() > size;
        return new Page<>(more ? List.copyOf(fetched.subList(0, size)) : List.copyOf(fetched), page, size, more);
    }

    /**
     * Page and size as a query string gives them; absent or blank means page 0 and {@code defaultSize}.
     *
     * @throws ValidationException
     *             naming the parameter and what it must be
     */
    public static Paging parse(String page, String size, int defaultSize) {
        var errors = new ValidationException.Builder();
        int p = number(errors, "page", page, 0, MAX_PAGE, 0);
        int s = number(errors, "size", size, 1, MAX_SIZE, defaultSize);
        errors.throwIfAny();
        return new Paging(p, s);
    }

    private static int number(ValidationException.Builder errors, String name, String text, int min, int max,
            int absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        String v = text.strip();
        // digits only, and few enough that no overflow can make a huge value look small
        if (v.matches("[0-9]{1,9}")) {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        }
        errors.add(name, "must be a whole number from " + min + " to " + max, v);
        return absent;
    }
}
