package io.portlink.platform;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Tables written as a download while they are read: a CSV or an XLSX workbook, row by row, onto the response's stream,
 * never held whole. Cells are {@code String}, {@code Number} ({@code BigDecimal}, {@code Long}, {@code Integer}),
 * {@code LocalDate}, {@code OffsetDateTime} (a moment in the organisation's zone) or null (empty).
 * <p>
 * CSV: UTF-8 with a byte order mark, CR LF, RFC 4180 quoting ({@link CsvFile#writeRow}); the delimiter and decimal mark
 * of the organisation's convention (a decimal comma file is separated by semicolons, as its spreadsheets expect); dates
 * {@code 2026-12-20}, moments ISO 8601 with their offset ({@code 2026-12-20T09:15:00+01:00}). A text cell that a
 * spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage return) is written with a
 * leading apostrophe ({@code '=HYPERLINK(…)}), as OWASP advises against CSV injection; numbers and dates never start
 * so. XLSX: numbers as numbers, dates and moments as date cells (moments as the organisation's local time: a workbook
 * has no zones), text as inline strings (no shared-string table growing with the file, and text cells are never
 * formulas, so they are written as they are); rows are flushed to the stream every {@link #FLUSH_ROWS}.
 */
public final class Sheets {

    /** XLSX rows kept in memory before they are written out. */
    public static final int FLUSH_ROWS = 1_000;
    /** Rows one worksheet holds (Excel's limit, with the header); beyond it a second sheet "… 2" starts. */
    public static final int MAX_SHEET_ROWS = 1_048_576;

    private Sheets() {
    }

    /** A table being written. Call {@link #header} once, then {@link #row} per row, then {@link #finish}. */
    public interface Writer {

        void header(List<String> names) throws IOException;

        void row(List<Object> cells) throws IOException;

        /** Ends the file (the XLSX's closing parts) and flushes; the stream is left open. */
        void finish() throws IOException;
    }

    /** A CSV written as {@code convention} writes numbers. */
    public static Writer csv(OutputStream out, Convention.DecimalMark decimal) {
        return new Csv(out, decimal);
    }

    /** An XLSX workbook with one sheet named {@code sheet} (more when the rows exceed one sheet). */
    public static Writer xlsx(OutputStream out, String sheet) {
        return new Xlsx(out, sheet);
    }

    /** A text cell as a CSV writes it: a leading apostrophe when a spreadsheet would take it for a formula. */
    public static String defuse(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }

    private static final class Csv implements Writer {
        private final java.io.Writer out;
        private final char delimiter;
        private final char mark;

        Csv(OutputStream stream, Convention.DecimalMark decimal) {
            this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
            this.mark = decimal.mark;
            this.delimiter = decimal == Convention.DecimalMark.COMMA ? ';' : ',';
        }

        @Override
        public void header(List<String> names) throws IOException {
            out.write('\uFEFF');
            CsvFile.writeRow(out, names, delimiter);
        }

        @Override
        public void row(List<Object> cells) throws IOException {
            List<String> texts = new ArrayList<>(cells.size());
            for (Object cell : cells) {
                texts.add(text(cell));
            }
            CsvFile.writeRow(out, texts, delimiter);
        }

        private String text(Object cell) {
            if (cell == null) {
                return "";
            }
            if (cell instanceof BigDecimal d) {
                String plain = d.stripTrailingZeros().toPlainString();
                return mark == '.' ? plain : plain.replace('.', mark);
            }
            if (cell instanceof Number n) {
                return n.toString();
            }
            if (cell instanceof LocalDate d) {
                return d.toString();
            }
            if (cell instanceof OffsetDateTime t) {
                return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
            }
            return defuse(cell.toString());
        }

        @Override
        public void finish() throws IOException {
            out.flush();
        }
    }

    private static final class Xlsx implements Writer {
        private final Workbook workbook;
        private final String name;
        private Worksheet sheet;
        private List<String> header;
        private int sheets;
        private int row;

        Xlsx(OutputStream out, String name) {
            this.workbook = new Workbook(out, "Portlink", "1.0");
            this.name = name;
        }

        @Override
        public void header(List<String> names) throws IOException {
            header = List.copyOf(names);
            newSheet();
        }

        private void newSheet() throws IOException {
            if (sheet != null) {
                sheet.finish();
            }
            sheets++;
            sheet = workbook.newWorksheet(sheets == 1 ? name : name + " " + sheets);
            for (int c = 0; c < header.size(); c++) {
                sheet.inlineString(0, c, header.get(c));
                sheet.style(0, c).bold().set();
                // fixed widths: measuring text would need fonts (AWT), which a native image leaves out
                sheet.width(c, Math.max(12, Math.min(40, header.get(c).length() + 4)));
            }
            sheet.freezePane(0, 1);
            row = 1;
        }

        @Override
        public void row(List<Object> cells) throws IOException {
            if (row == MAX_SHEET_ROWS) {
                newSheet();
            }
            for (int c = 0; c < cells.size(); c++) {
                Object cell = cells.get(c);
                if (cell == null) {
                    continue;
                }
                if (cell instanceof Number n) {
                    sheet.value(row, c, n);
                } else if (cell instanceof LocalDate d) {
                    sheet.value(row, c, d);
                    sheet.style(row, c).format("yyyy-mm-dd").set();
                } else if (cell instanceof OffsetDateTime t) {
                    sheet.value(row, c, t.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS));
                    sheet.style(row, c).format("yyyy-mm-dd hh:mm:ss").set();
                } else {
                    sheet.inlineString(row, c, cell.toString());
                }
            }
            row++;
            if (row % FLUSH_ROWS == 0) {
                sheet.flush();
            }
        }

        @Override
        public void finish() throws IOException {
            if (sheet == null) {
                header(List.of());
            }
            sheet.finish();
            workbook.finish();
        }
    }
}
