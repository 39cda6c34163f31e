package io.portlink.platform;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What every CSV import shares (purchase orders, shipments): UTF-8 only, the size, row and cell limits, a header that
 * names known columns in any order (case-insensitive, a space counts as _), rows numbered as a spreadsheet shows them
 * (the header is row 1), rows of only empty cells skipped, and every problem collected with its row and column. The
 * importer reads each row's cells with its own rules ({@link Fields}); this class knows no entity.
 */
public final class CsvFile {

    /** Past this many problems the report stops growing: the file needs fixing first. */
    public static final int MAX_ERRORS = 200;

    private CsvFile() {
    }

    /**
     * The columns an importer knows. {@code check} may add header problems of its own (one of two columns required).
     */
    public record Columns(List<String> known, List<String> required,
            BiConsumer<Set<String>, ValidationException.Builder> check) {

        public Columns(List<String> known, List<String> required) {
            this(known, required, (present, errors) -> {
            });
        }
    }

    /** One data row: its number as a spreadsheet shows it, and its cells by column name. */
    public record Row(int number, List<String> cells, Map<String, Integer> index) {

        /** The cell of a column, or null when the header has no such column or the row is shorter. */
        public String cell(String column) {
            Integer i = index.get(column);
            return i == null || i >= cells.size() ? null : cells.get(i);
        }
    }

    /** Reads one row into the importer's state; problems go into {@code errors} with the row's number. */
    @FunctionalInterface
    public interface RowReader {
        void read(Row row, ValidationException.Builder errors);
    }

    /** What a byte sequence that is no UTF-8 decodes to. */
    private static final char NOT_UTF8 = '\uFFFD';

    private static final String NOT_UTF8_MESSAGE = "is not UTF-8 text; save the file as \"CSV UTF-8\"";

    /** The first cell of {@code record} holding bytes that were no UTF-8, or -1. */
    private static int garbled(List<String> record) {
        for (int i = 0; i < record.size(); i++) {
            if (record.get(i).indexOf(NOT_UTF8) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads a whole file, handing each non-blank row to {@code rows}. Problems of the file itself (not UTF-8, too
     * large, too many rows, a cell too long, an unclosed quote, more cells than columns, header problems) go into
     * {@code errors}; reading stops at {@link #MAX_ERRORS}, unless {@code errors} is
     * {@link ValidationException.Builder#capped}: then the whole file is checked and the problems past the cap counted.
     * Returns the number of rows handed over. Never throws for bad input: the caller adds its own checks and then calls
     * {@code errors.throwIfAny()}.
     */
    public static int read(InputStream stream, PortlinkConfig.Import limits, Columns columns, RowReader rows,
            ValidationException.Builder errors) {
        // bytes that are no UTF-8 become U+FFFD and are refused where they stand (row and column): the reader decodes
        // ahead of the rows, so an error it raised would name the row being read when its buffer filled
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        // the header is row 1: a problem found while reading it is named row + 1
        int row = 0;
        int read = 0;
        // a file saved in another encoding garbles most rows: the first is named, the others counted in one problem
        int firstGarbled = -1;
        int moreGarbled = 0;
        List<String> headerNames = new java.util.ArrayList<>();
        try (var peeked = new java.io.PushbackInputStream(new Limited(stream, limits.maxBytes()), 4);
                Reader reader = new InputStreamReader(peeked, decoder)) {
            String workbook = workbook(peeked);
            if (workbook != null) {
                errors.add(null, "file", "is " + workbook + ", not CSV: open it in the spreadsheet program, save it as"
                        + " \"CSV UTF-8\" and upload that file", null);
                return 0;
            }
            CsvReader csv = new CsvReader(reader, limits.maxFieldLength());
            List<String> header = csv.header();
            if (header == null) {
                errors.add(null, "file",
                        "is empty: the first row must name the columns " + String.join(", ", columns.known()), null);
                return 0;
            }
            row = 1;
            if (header.stream().anyMatch(h -> h.indexOf(NOT_UTF8) >= 0)) {
                errors.add(1, "file", NOT_UTF8_MESSAGE, null);
                return 0;
            }
            header.forEach(h -> headerNames.add(h.strip().toLowerCase(Locale.ROOT).replace(' ', '_')));
            Map<String, Integer> index = index(header, columns, errors);
            if (!errors.isEmpty()) {
                return 0;
            }
            // the columns up to the last named one: a header's trailing delimiters ("a,b,c,") name nothing a row must
            // fill
            int named = header.size();
            while (named > 0 && header.get(named - 1).isBlank()) {
                named--;
            }
            List<String> record;
            while ((record = csv.next()) != null) {
                row++;
                if (record.stream().allMatch(String::isBlank)) {
                    continue; // blank lines and rows of empty cells (;;;; that spreadsheets leave) carry nothing
                }
                if (row - 1 > limits.maxRows()) {
                    errors.add(row, "file", "has more than " + limits.maxRows() + " rows; split it into smaller files",
                            null);
                    break;
                }
                int garbled = garbled(record);
                if (garbled >= 0 && firstGarbled >= 0) {
                    moreGarbled++;
                } else if (garbled >= 0) {
                    firstGarbled = row;
                    errors.add(row, garbled < headerNames.size() ? headerNames.get(garbled) : "file", NOT_UTF8_MESSAGE,
                            null);
                } else if (record.size() > header.size()
                        && record.subList(header.size(), record.size()).stream().anyMatch(s -> !s.isBlank())) {
                    errors.add(row, "file", "has " + record.size() + " cells but the header names " + header.size()
                            + " columns (a delimiter inside a value needs \"quotes\")", null);
                } else if (record.size() < named) {
                    // a short row is most often a row whose values moved left (a lost delimiter): never guessed
                    errors.add(row, "file",
                            "has " + record.size() + " cells but the header names " + named
                                    + " columns: give every column a cell, an empty one too ("
                                    + header.get(record.size()).strip()
                                    + " is the first missing), so that no value lands in another's column",
                            null);
                } else {
                    read++;
                    rows.read(new Row(row, record, index), errors);
                }
                if (errors.size() >= MAX_ERRORS && !errors.isCapped()) {
                    break;
                }
            }
        } catch (CsvReader.TooLongException e) {
            errors.add(row + 1, e.cell >= 0 && e.cell < headerNames.size() ? headerNames.get(e.cell) : "file",
                    e.getMessage(), null); // the message names its own limit (a cell's, or the header row's)
        } catch (Limited.TooLargeException e) {
            errors.add(null, "file",
                    "is larger than " + limits.maxBytes() / (1024 * 1024) + " MB; split it into smaller files", null);
        } catch (CsvReader.TextAfterQuoteException e) {
            errors.add(row + 1, e.cell < headerNames.size() ? headerNames.get(e.cell) : "file", e.getMessage(), null);
        } catch (IOException e) {
            errors.add(row + 1, "file", "cannot be read as CSV: " + e.getMessage(), null);
        }
        if (moreGarbled > 0) {
            errors.add(null, "file",
                    "has " + moreGarbled + " more " + (moreGarbled == 1 ? "row" : "rows") + " after row " + firstGarbled
                            + " that " + (moreGarbled == 1 ? "is" : "are")
                            + " not UTF-8 text: it was saved in another encoding; save it as \"CSV UTF-8\"",
                    null);
        }
        return read;
    }

    private static Map<String, Integer> index(List<String> header, Columns columns,
            ValidationException.Builder errors) {
        Map<String, Integer> index = new HashMap<>();
        String separator = otherSeparator(header, columns);
        if (separator != null) {
            // the whole header in one cell, split by another character: one clear problem, not an unknown column and
            // every required one "missing"
            errors.add(1, "file", "separates its columns with " + separator + "; Portlink reads CSV separated by commas"
                    + " or semicolons: save the file as CSV (comma- or semicolon-separated) and import it again", null);
            return index;
        }
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
            if (name.isEmpty()) {
                continue;
            }
            if (!columns.known().contains(name)) {
                errors.add(1, header.get(i),
                        "is not a known column; the columns are " + String.join(", ", columns.known()), null);
            } else if (index.putIfAbsent(name, i) != null) {
                errors.add(1, name, "appears twice in the header", null);
            }
        }
        for (String required : columns.required()) {
            if (!index.containsKey(required)) {
                errors.add(1, required, "column is missing from the header", null);
            }
        }
        columns.check().accept(index.keySet(), errors);
        return index;
    }

    /**
     * The separator a header row was written with when it is no comma or semicolon (a tab, "|"): the header read as one
     * cell that, split by it, names a known column; else null.
     */
    /**
     * What spreadsheet file the stream's first bytes show, or null: an Excel workbook (.xlsx, .ods: a ZIP archive, "PK"
     * 3 4) or an old Excel file (.xls: an OLE compound file, D0 CF 11 E0). The bytes are put back.
     */
    private static String workbook(java.io.PushbackInputStream in) throws IOException {
        byte[] first = in.readNBytes(4);
        in.unread(first);
        if (first.length < 4) {
            return null;
        }
        if (first[0] == 'P' && first[1] == 'K' && first[2] == 3 && first[3] == 4) {
            return "a spreadsheet workbook (.xlsx or .ods)";
        }
        if ((first[0] & 0xff) == 0xD0 && (first[1] & 0xff) == 0xCF && first[2] == 0x11 && (first[3] & 0xff) == 0xE0) {
            return "an Excel workbook (.xls)";
        }
        return null;
    }

    private static String otherSeparator(List<String> header, Columns columns) {
        if (header.size() != 1) {
            return null;
        }
        for (var candidate : List.of(Map.entry("\t", "tabs"), Map.entry("\\|", "\"|\""))) {
            String[] names = header.get(0).split(candidate.getKey());
            if (names.length > 1 && java.util.Arrays.stream(names)
                    .anyMatch(n -> columns.known().contains(n.strip().toLowerCase(Locale.ROOT).replace(' ', '_')))) {
                return candidate.getValue();
            }
        }
        return null;
    }

    /**
     * A file as spreadsheets open it without asking: UTF-8 with a byte order mark, CRLF line ends, cells quoted (RFC
     * 4180) when they hold the delimiter, a quote or a line break.
     */
    public static String write(List<List<String>> rows, char delimiter) {
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            out.write('\uFEFF');
            for (List<String> row : rows) {
                writeRow(out, row, delimiter);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Writes one row as RFC 4180 says, ended by CR LF: a cell with the delimiter, a quote or a line break is quoted
     * (its quotes doubled); null is an empty cell. Nothing is added or removed otherwise (formula escaping is the
     * exporter's, {@link Sheets}).
     */
    public static void writeRow(java.io.Writer out, List<String> row, char delimiter) throws IOException {
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i) == null ? "" : row.get(i);
            boolean quote = cell.indexOf(delimiter) >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0;
            if (i > 0) {
                out.write(delimiter);
            }
            out.write(quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        out.write("\r\n");
    }

    /** Stops reading past the size limit instead of buffering an oversized upload. */
    static final class Limited extends FilterInputStream {
        static final class TooLargeException extends IOException {
        }

        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > max) {
                throw new TooLargeException();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > max) {
                throw new TooLargeException();
            }
            return n;
        }
    }
}
