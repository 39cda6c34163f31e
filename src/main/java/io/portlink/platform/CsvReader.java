package io.portlink.platform;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: quoted fields with doubled quotes and line breaks inside, CRLF, LF or CR alone (Excel
 * for Mac), comma or semicolon (taken from the header line). Holds one record at a time and refuses a field longer than
 * the limit instead of buffering it.
 */
public final class CsvReader {

    public static final class TooLongException extends IOException {

        /** The cell's index in its record, from 0; -1 when not known (the header line). */
        public int cell = -1;

        TooLongException(String message) {
            super(message);
        }
    }

    /**
     * Text after a quoted cell's closing quote ({@code "1"0}): RFC 4180 has none, and joining it to the cell would read
     * {@code 10} where the file may mean something else. {@code cell}: the cell's index in its record, from 0.
     */
    public static final class TextAfterQuoteException extends IOException {

        public final int cell;

        TextAfterQuoteException(int cell, String quoted, char after) {
            super("has text after its closing quote (\""
                    + (quoted.length() > 20 ? quoted.substring(0, 20) + "…" : quoted) + "\" then " + after
                    + "): a quote inside a value is written twice (\"\"), and a value with quotes"
                    + " in it is quoted as a whole");
            this.cell = cell;
        }
    }

    private final Reader in;
    /** Our own buffer: Reader.read() per character is a synchronized call, too slow for 100,000-row files. */
    private final char[] buffer = new char[65536];
    private int position;
    private int limit;
    private final int maxField;
    private char delimiter;
    private int peeked = -2;
    private boolean firstChar = true;

    public CsvReader(Reader in, int maxField) {
        this.in = in;
        this.maxField = maxField;
    }

    /** The header record; also decides the delimiter (whichever of , and ; it contains more of). */
    public List<String> header() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = read()) != -1 && c != '\n' && c != '\r') {
            if (line.length() > 10_000) {
                throw new TooLongException("the header row is longer than 10000 characters, the limit of a header row");
            }
            line.append((char) c);
        }
        if (c == '\r') {
            // CR LF (Windows), or CR alone (Excel for Mac's "CSV"): both end the line
            int n = read();
            if (n != '\n') {
                unread(n);
            }
        }
        String text = line.toString();
        long commas = text.chars().filter(ch -> ch == ',').count();
        long semicolons = text.chars().filter(ch -> ch == ';').count();
        delimiter = semicolons > commas ? ';' : ',';
        if (text.isBlank()) {
            return null;
        }
        List<String> record = new ArrayList<>();
        CsvReader headerReader = new CsvReader(new java.io.StringReader(text), 10_000);
        headerReader.delimiter = delimiter;
        headerReader.firstChar = false;
        record.addAll(headerReader.next());
        return record;
    }

    /** The next record, or null at the end. Blank lines come back as an empty list. */
    public List<String> next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        List<String> record = new ArrayList<>();
        try {
            return record(c, record);
        } catch (TooLongException e) {
            e.cell = record.size(); // the cell being read: the one after those complete
            throw e;
        }
    }

    /** Reads the record that starts with {@code c} into {@code record}. */
    private List<String> record(int c, List<String> record) throws IOException {
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        boolean afterQuote = false;
        while (true) {
            if (c == -1) {
                if (quoted) {
                    throw new IOException("a quoted field is not closed (a \" is missing)");
                }
                record.add(field.toString());
                return trimBlank(record);
            }
            if (quoted) {
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        append(field, '"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        unread(n);
                    }
                } else {
                    append(field, (char) c);
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
            } else if (c == delimiter) {
                record.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                afterQuote = false;
            } else if (c == '\r') {
                int n = read();
                if (n != '\n') {
                    unread(n);
                }
                record.add(field.toString());
                return trimBlank(record);
            } else if (c == '\n') {
                record.add(field.toString());
                return trimBlank(record);
            } else if (afterQuote) {
                // spaces a tool pads with are dropped; anything else would be joined to the quoted text
                if (c != ' ' && c != '\t') {
                    throw new TextAfterQuoteException(record.size(), field.toString(), (char) c);
                }
            } else {
                append(field, (char) c);
                fieldStart = false;
            }
            c = read();
        }
    }

    private static List<String> trimBlank(List<String> record) {
        return record.size() == 1 && record.get(0).isBlank() ? List.of() : record;
    }

    private void append(StringBuilder field, char c) throws TooLongException {
        if (field.length() >= maxField) {
            throw new TooLongException("is longer than " + maxField + " characters, the limit of a cell");
        }
        field.append(c);
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        int c = fill();
        if (firstChar) {
            firstChar = false;
            if (c == '\uFEFF') {
                // byte order mark from Excel's "CSV UTF-8"
                c = fill();
            }
        }
        return c;
    }

    private int fill() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }

    private void unread(int c) {
        peeked = c;
    }
}
