package io.portlink.purchasing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;
import org.postgresql.PGConnection;

import io.portlink.link.Links;
import io.portlink.organization.Organization;
import io.portlink.platform.Convention;
import io.portlink.platform.CsvFile;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * A purchase-order CSV imported without e-mails ({@code send=NONE}), all or nothing, with a heap that does not grow
 * with the file. Three steps in one transaction, then the answer after the commit:
 * <ol>
 * <li>Each row is read and checked on its own ({@link OrderCsv#read}) and the valid ones go into a temporary table of
 * the transaction ({@code import_row}): on PostgreSQL one {@code COPY} fed as the rows are read, so the database stores
 * them while the service reads on; batched inserts of {@link #STAGE_CHUNK} rows elsewhere.</li>
 * <li>Under the organisation's creating lock ({@link Organization#lockForCreating}), the staged rows are read back
 * through a cursor, grouped per order, the orders in the file's order of their first rows. Each later row of an order
 * is compared with its first ({@link OrderCsv#differences}); each order's content hash is compared with the stored one
 * of its reference, {@link #ORDER_CHUNK} references per lookup (same content: unchanged; other content: a problem on
 * its first row); each new order is written by {@link OrderBulkWriter}. Any problem and the transaction is rolled back:
 * nothing is written, the caller gets a {@link ValidationException} (the first {@link CsvFile#MAX_ERRORS} problems by
 * row and a count of the rest).</li>
 * <li>The links' tokens are {@code prefix + base64url(HMAC-SHA256(k, link id))}, {@code k} being 256 random bits of
 * this import alone, held in memory until the answer is written and stored nowhere: only the tokens' SHA-256 are
 * written, as for every link. The import keeps just the ranges of its new link ids ({@link IdRuns}: one per block of
 * ids the sequence hands out), so after the commit {@link #answer} reads the new orders back in batches and rebuilds
 * each token. The client gets a success only for a committed import.</li>
 * </ol>
 * Memory: one chunk of staged rows, one chunk of orders, one id per vendor, the id ranges.
 */
@ApplicationScoped
public class OrderImport {

    /** Rows staged per insert batch (databases without COPY). */
    static final int STAGE_CHUNK = 5000;
    /** Orders whose references are looked up together (one array parameter). */
    static final int ORDER_CHUNK = 1000;
    /** Rows fetched per round trip from the staged rows' cursor. */
    static final int FETCH = 2000;
    /** PostgreSQL's work_mem while an import's rows are sorted (memory of the database, not of the service). */
    static final String SORT_MEMORY = "64MB";
    /** New orders read back per query when writing the answer. */
    static final int ANSWER_BATCH = 1000;

    private static final List<String> STAGED = List.of("row_no", "reference", "vendor_name", "vendor_email",
            "vendor_phone", "vendor_language", "delivery_address", "requested_date", "sku", "description", "quantity",
            "unit", "unit_price", "currency", "consignee_name", "consignee_email", "consignee_phone",
            "consignee_language");
    private static final OrderBulkWriter.Table STAGE = new OrderBulkWriter.Table("import_row", STAGED, types());
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    Links links;

    @Inject
    Vendors vendors;

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    /**
     * Whether an import with this send option goes this way: without e-mails, and while no buyer notice follows an
     * import ({@link BuyerNotices#KINDS}). Others are written order by order ({@link Orders#importAll}).
     */
    public static boolean handles(SendOption send) {
        return send == SendOption.NONE && !BuyerNotices.KINDS.contains(OrderEvent.IMPORTED);
    }

    /**
     * What an import did: how many orders it created and found unchanged, and what {@link #answer} needs to list the
     * new ones (their link ids, the key of their tokens), and what its buyer should check ({@link ImportNotes}).
     */
    public record Result(long organizationId, int created, int unchanged, IdRuns linkIds, LinkTokens tokens,
            List<ImportNotes.Note> notes, int notesUnlisted) {
    }

    /** One new order of an import, as the answer lists it: its link is shown this once. */
    public record CreatedOrder(String reference, OrderStatus status, Links.Issued link) {
    }

    /** Receives the new orders of an import, in the file's order. */
    @FunctionalInterface
    public interface CreatedSink {
        void accept(CreatedOrder order) throws IOException;
    }

    /**
     * Imports a whole file (rows as {@link OrderCsv} reads them, numbers and dates under {@code convention}) without
     * e-mails, all or nothing.
     *
     * @throws ValidationException
     *             every problem by row, column and value (the first {@link CsvFile#MAX_ERRORS}, then a count), nothing
     *             written: a row's own problems and order-level columns that differ within an order; when there are
     *             none, references that exist with other content
     */
    @Transactional
    // a file of a million lines takes minutes on a busy machine; the organisation's creating lock is held as long
    @TransactionConfiguration(timeout = 3600)
    public Result importFile(long organizationId, InputStream csv, Convention convention, Actor actor) {
        Run run = new Run(organizationId, actor);
        em.unwrap(Session.class).doWork(connection -> run.execute(connection, csv, convention));
        run.problems().throwIfAny();
        return new Result(organizationId, run.created, run.unchanged, run.linkIds, run.tokens, run.notes.listed(),
                run.notes.unlisted());
    }

    /**
     * Lists the new orders of a committed import, in the file's order, each with its link (token rebuilt from the
     * import's key). Reads {@link #ANSWER_BATCH} orders per short read-only transaction; holds one batch.
     */
    public void answer(Result result, CreatedSink sink) throws IOException {
        if (result.linkIds().isEmpty()) {
            return;
        }
        LinkTokens tokens = result.tokens().copy();
        IdRuns.Cursor mine = result.linkIds().cursor();
        long after = result.linkIds().first() - 1;
        long last = result.linkIds().last();
        while (true) {
            long from = after;
            @SuppressWarnings("unchecked")
            // by id alone, so each batch walks the primary key from where the last one ended: with the organisation
            // in the condition too, PostgreSQL (statistics of a smaller table) combined it with the organisation's
            // index, reading every link of the organisation for each batch; the ids of this import are told apart
            // below, whoever made the others
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em
                    .createNativeQuery("select l.id, o.reference, o.status from access_link l join purchase_order o"
                            + " on o.id = l.purchase_order_id where l.id > ?1 and l.id <= ?2 order by l.id")
                    .setParameter(1, from).setParameter(2, last).setMaxResults(ANSWER_BATCH).getResultList());
            for (Object[] row : rows) {
                long id = ((Number) row[0]).longValue();
                if (!mine.contains(id)) {
                    continue; // another link (of any organisation), made meanwhile between two of this import's
                }
                String token = tokens.apply(id);
                sink.accept(new CreatedOrder((String) row[1], OrderStatus.valueOf((String) row[2]),
                        new Links.Issued(id, token, links.url(VendorLinks.SCOPE, token), null)));
            }
            if (rows.size() < ANSWER_BATCH) {
                return;
            }
            after = ((Number) rows.get(rows.size() - 1)[0]).longValue();
        }
    }

    /** One import's state while it runs. */
    private final class Run {
        final long organizationId;
        final Actor actor;
        final ValidationException.Builder errors = new ValidationException.Builder().capped(CsvFile.MAX_ERRORS);
        final FirstProblems differences = new FirstProblems(CsvFile.MAX_ERRORS);
        final ValidationException.Builder conflicts = new ValidationException.Builder().capped(CsvFile.MAX_ERRORS);
        final IdRuns linkIds = new IdRuns();
        final ImportNotes notes = new ImportNotes();
        final LinkTokens tokens = LinkTokens.random(VendorLinks.SCOPE.prefix);
        final Map<String, Long> vendorIds = new HashMap<>();
        final List<OrderDraft> drafts = new ArrayList<>(ORDER_CHUNK);
        Organization organization;
        /** The organisation's date format and today, for the notes of past requested dates. */
        io.portlink.platform.Locales.Format format;
        java.time.LocalDate today;
        OrderBulkWriter writer;
        /** PostgreSQL (COPY, lateral joins); otherwise H2. */
        boolean postgres;
        int created;
        int unchanged;

        Run(long organizationId, Actor actor) {
            this.organizationId = organizationId;
            this.actor = actor;
        }

        void execute(Connection connection, InputStream csv, Convention convention) throws SQLException {
            boolean copy = connection.isWrapperFor(PGConnection.class);
            postgres = copy;
            int staged = stage(connection, copy, csv, convention);
            if (staged == 0) {
                if (errors.isEmpty()) {
                    errors.add(2, "file", "has a header but no order rows", null);
                }
                return;
            }
            if (errors.isEmpty()) {
                // imports and creates of one organisation run one after the other: this one sees the last one's orders
                organization = Organization.lockForCreating(organizationId);
                format = organization.format(); // once: a format builds its formatters
                today = format.today(clock);
                writer = new OrderBulkWriter(em, links, organizationId, actor, Instant.now(clock), tokens);
            }
            if (copy) {
                // the grouping sorts every staged row: in memory as far as it goes (this transaction only)
                try (Statement set = connection.createStatement()) {
                    set.execute("set local work_mem = '" + SORT_MEMORY + "'");
                }
            }
            group(connection);
            if (writing()) {
                writer.flush();
            }
        }

        /** Whether orders are still compared with the stored ones: no row has a problem. */
        boolean checking() {
            return writer != null && errors.isEmpty() && differences.total() == 0;
        }

        /** Whether new orders are still written: no problem found yet. */
        boolean writing() {
            return checking() && conflicts.size() == 0;
        }

        /** Step 1: the rows, each checked on its own, the valid ones into import_row. */
        int stage(Connection connection, boolean copy, InputStream csv, Convention convention) throws SQLException {
            try (Statement ddl = connection.createStatement()) {
                if (copy) {
                    ddl.execute("create temporary table import_row (row_no integer not null, "
                            + String.join(" text, ", STAGED.subList(1, STAGED.size())) + " text) on commit drop");
                } else {
                    // H2: TRANSACTIONAL keeps the statement from committing; the table lives as long as the session
                    ddl.execute("create local temporary table if not exists import_row (row_no integer not null, "
                            + String.join(" varchar, ", STAGED.subList(1, STAGED.size())) + " varchar) transactional");
                    ddl.execute("delete from import_row");
                }
            }
            try (Stager stager = copy ? new CopyStager(connection) : new BatchStager(connection)) {
                SQLException[] failed = { null };
                int staged = OrderCsv.read(csv, config.importLimits(), convention, errors, row -> {
                    if (failed[0] == null) {
                        try {
                            stager.add(stagedRow(row));
                        } catch (SQLException e) {
                            failed[0] = e;
                        }
                    }
                });
                if (failed[0] != null) {
                    throw failed[0];
                }
                stager.finish();
                return staged;
            }
        }

        /**
         * Step 2: the staged rows per order, orders in the order of their first rows: the rows of an order compared
         * with its first, the orders compared with what is stored and the new ones written.
         */
        void group(Connection connection) throws SQLException {
            // PostgreSQL: each order's first row by a hash aggregate, then one sort (a window function would sort
            // twice). H2 evaluates that join's derived table once per row (20,000 rows took 80 s): a window there
            String columns = String.join(", ", STAGED.stream().map(c -> "r." + c).toList());
            String sql = postgres
                    ? "select " + columns + " from import_row r join (select reference, min(row_no) as first_row"
                            + " from import_row group by reference) f on f.reference = r.reference"
                            + " order by f.first_row, r.row_no"
                    : "select " + columns + " from (select i.*, min(i.row_no) over (partition by i.reference)"
                            + " as first_row from import_row i) r order by r.first_row, r.row_no";
            try (PreparedStatement query = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                query.setFetchSize(FETCH);
                try (ResultSet rs = query.executeQuery()) {
                    OrderCsv.Row first = null;
                    List<OrderDraft.Line> lines = new ArrayList<>();
                    while (rs.next()) {
                        OrderCsv.Row row = row(rs);
                        if (first != null && first.reference().equals(row.reference())) {
                            OrderCsv.differences(first, row, differences);
                            lines.add(row.line());
                            continue;
                        }
                        if (first != null) {
                            order(connection, first, lines);
                        }
                        first = row;
                        lines = new ArrayList<>();
                        lines.add(row.line());
                    }
                    if (first != null) {
                        order(connection, first, lines);
                    }
                }
            }
            lookUp(connection);
        }

        private void order(Connection connection, OrderCsv.Row first, List<OrderDraft.Line> lines) throws SQLException {
            if (!checking()) {
                drafts.clear();
                return;
            }
            drafts.add(new OrderDraft(first.reference(), first.vendor(), first.address(), first.requested(),
                    List.copyOf(lines), first.number(), first.consignee()));
            if (drafts.size() >= ORDER_CHUNK) {
                lookUp(connection);
            }
        }

        /** The gathered orders against the stored ones of their references; the new ones written. */
        private void lookUp(Connection connection) throws SQLException {
            if (drafts.isEmpty() || !checking()) {
                drafts.clear();
                return;
            }
            Map<String, String> existing = new HashMap<>();
            // one probe of the unique key (organisation, reference) per reference, whatever the statistics say: with
            // those of a smaller table (a big import outruns autovacuum), "reference = any(?)" was planned through
            // another index of the organisation, comparing each of its orders with every reference of the chunk, and a
            // plain join hashed all the organisation's orders; a lateral subquery with a limit is never flattened into
            // a join, so it stays a nested loop of index probes (H2 has no lateral join: it keeps "= any")
            String sql = postgres
                    ? "select p.reference, p.content_hash from unnest(?) as r(reference) join lateral"
                            + " (select reference, content_hash from purchase_order where organization_id = ?"
                            + " and reference = r.reference limit 1) p on true"
                    : "select reference, content_hash from purchase_order where reference = any(?) and organization_id = ?";
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                Array references = connection.createArrayOf("varchar",
                        drafts.stream().map(OrderDraft::reference).toArray());
                ps.setArray(1, references);
                ps.setLong(2, organizationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            for (OrderDraft draft : drafts) {
                String hash = existing.get(draft.reference());
                if (hash != null) {
                    if (draft.sameContent(hash)) {
                        unchanged++;
                    } else {
                        conflicts.add(draft.firstRow(), "reference",
                                "order " + draft.reference()
                                        + " already exists with different content; use a new reference for a new order",
                                draft.reference());
                    }
                } else if (writing()) {
                    long vendorId = vendorIds.computeIfAbsent(draft.vendor().key(),
                            key -> notes.vendor(vendors.resolve(organization, draft.vendor()), draft).id);
                    notes.order(draft, today, format);
                    linkIds.add(writer.addOrder(vendorId, draft));
                    created++;
                }
            }
            drafts.clear();
        }

        /**
         * The problems to answer with: a row's own problems and differing order-level columns, merged by row; when
         * there are none, the references that exist with other content.
         */
        ValidationException.Builder problems() {
            if (errors.isEmpty() && differences.total() == 0) {
                return conflicts;
            }
            var all = new ValidationException.Builder().capped(CsvFile.MAX_ERRORS);
            List<ValidationException.FieldError> own = errors.errors();
            List<ValidationException.FieldError> spans = differences.sorted();
            int i = 0;
            int j = 0;
            while (i < own.size() || j < spans.size()) {
                if (j >= spans.size() || (i < own.size() && rowOf(own.get(i)) <= rowOf(spans.get(j)))) {
                    var e = own.get(i++);
                    all.add(e.row(), e.field(), e.message(), e.value());
                } else {
                    var e = spans.get(j++);
                    all.add(e.row(), e.field(), e.message(), e.value());
                }
            }
            return all.unlisted(errors.unlisted() + differences.unlisted());
        }
    }

    /** Where the valid rows go while the file is read. */
    private interface Stager extends AutoCloseable {
        void add(Object[] row) throws SQLException;

        /** Everything added is in the table. */
        void finish() throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /**
     * PostgreSQL: one {@code COPY} for the whole file, fed as the rows are read, so the database parses and stores them
     * while the service reads the next ones (two cores at work); holds a 64 KB buffer.
     */
    private static final class CopyStager implements Stager {
        private final org.postgresql.copy.PGCopyOutputStream out;
        private final StringBuilder text = new StringBuilder(512);
        private boolean done;

        CopyStager(Connection connection) throws SQLException {
            this.out = new org.postgresql.copy.PGCopyOutputStream(connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy import_row (" + String.join(", ", STAGED) + ") from stdin"), 1 << 16);
        }

        @Override
        public void add(Object[] row) throws SQLException {
            text.setLength(0);
            OrderBulkWriter.appendCopyRow(text, row);
            try {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new SQLException("staging the file's rows failed", e);
            }
        }

        @Override
        public void finish() throws SQLException {
            done = true;
            out.endCopy();
        }

        @Override
        public void close() throws SQLException {
            if (!done && out.isActive()) {
                out.cancelCopy();
            }
        }
    }

    /** Other databases: batched inserts of {@link #STAGE_CHUNK} rows. */
    private static final class BatchStager implements Stager {
        private final Connection connection;
        private final List<Object[]> chunk = new ArrayList<>(STAGE_CHUNK);

        BatchStager(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void add(Object[] row) throws SQLException {
            chunk.add(row);
            if (chunk.size() >= STAGE_CHUNK) {
                finish();
            }
        }

        @Override
        public void finish() throws SQLException {
            OrderBulkWriter.write(connection, false, STAGE, chunk);
            chunk.clear();
        }

        @Override
        public void close() {
        }
    }

    private static long rowOf(ValidationException.FieldError e) {
        return e.row() == null ? Long.MAX_VALUE : e.row();
    }

    private static Object[] stagedRow(OrderCsv.Row row) {
        var v = row.vendor();
        var c = row.consignee();
        var l = row.line();
        return new Object[] { row.number(), row.reference(), v.name(), v.email(), v.phone(), v.language(),
                row.address(), row.requested() == null ? null : row.requested().toString(), l.sku(), l.description(),
                plain(l.quantity()), l.unit(), plain(l.unitPrice()), l.currency(), c.name(), c.email(), c.phone(),
                c.language() };
    }

    private static OrderCsv.Row row(ResultSet rs) throws SQLException {
        String requested = rs.getString(8);
        String quantity = rs.getString(11);
        String price = rs.getString(13);
        Consignee consignee = new Consignee(rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18));
        return new OrderCsv.Row(rs.getInt(1), rs.getString(2),
                new Vendors.Contact(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)),
                rs.getString(7), requested == null ? null : LocalDate.parse(requested),
                consignee.isEmpty() ? Consignee.NONE : consignee,
                new OrderDraft.Line(rs.getString(9), rs.getString(10),
                        quantity == null ? null : new BigDecimal(quantity), rs.getString(12),
                        price == null ? null : new BigDecimal(price), rs.getString(14)));
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static List<Integer> types() {
        List<Integer> types = new ArrayList<>(Collections.nCopies(STAGED.size(), Types.VARCHAR));
        types.set(0, Types.INTEGER);
        return types;
    }

    /**
     * The first {@code cap} problems by row (ties in the order added) of problems added in any row order, and how many
     * there were in all: memory for {@code cap} problems whatever the file.
     */
    static final class FirstProblems implements OrderCsv.ProblemSink {
        private record Kept(long row, long seq, ValidationException.FieldError error) {
        }

        private static final Comparator<Kept> ORDER = Comparator.comparingLong(Kept::row).thenComparingLong(Kept::seq);
        private final int cap;
        private final PriorityQueue<Kept> kept = new PriorityQueue<>(ORDER.reversed());
        private long seq;
        private int total;

        FirstProblems(int cap) {
            this.cap = cap;
        }

        @Override
        public void add(Integer row, String column, String message, String value) {
            total++;
            kept.add(new Kept(row == null ? Long.MAX_VALUE : row, seq++,
                    new ValidationException.FieldError(row, column, message, value)));
            if (kept.size() > cap) {
                kept.poll();
            }
        }

        int total() {
            return total;
        }

        int unlisted() {
            return total - kept.size();
        }

        List<ValidationException.FieldError> sorted() {
            return kept.stream().sorted(ORDER).map(Kept::error).toList();
        }
    }

    /**
     * Increasing ids as runs of consecutive ones ({@code [from, to]} pairs): an import's link ids come from the
     * sequence in blocks, so this holds two longs per block, not one per order.
     */
    public static final class IdRuns {
        private long[] from = new long[16];
        private long[] to = new long[16];
        private int size;

        void add(long id) {
            if (size > 0 && to[size - 1] + 1 == id) {
                to[size - 1] = id;
                return;
            }
            if (size > 0 && id <= to[size - 1]) {
                throw new IllegalArgumentException("ids must increase: " + id + " after " + to[size - 1]);
            }
            if (size == from.length) {
                from = java.util.Arrays.copyOf(from, size * 2);
                to = java.util.Arrays.copyOf(to, size * 2);
            }
            from[size] = id;
            to[size] = id;
            size++;
        }

        boolean isEmpty() {
            return size == 0;
        }

        long first() {
            return from[0];
        }

        long last() {
            return to[size - 1];
        }

        /** How many runs (for tests and measurements). */
        public int runs() {
            return size;
        }

        Cursor cursor() {
            return new Cursor();
        }

        /** Answers whether ids, asked in increasing order, are among these. */
        final class Cursor {
            private int at;

            boolean contains(long id) {
                while (at < size && to[at] < id) {
                    at++;
                }
                return at < size && from[at] <= id;
            }
        }
    }

    /**
     * The tokens of one import's links: {@code prefix + base64url(HMAC-SHA256(key, link id))}, 43 characters after the
     * prefix as a random token has; the key is 256 bits from {@link SecureRandom}, of this import alone, never stored.
     * Not thread-safe: {@link #copy} for another thread.
     */
    public static final class LinkTokens implements LongFunction<String> {
        private final String prefix;
        private final byte[] key;
        private final Mac mac;

        private LinkTokens(String prefix, byte[] key) {
            this.prefix = prefix;
            this.key = key;
            try {
                this.mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static LinkTokens random(String prefix) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return new LinkTokens(prefix, key);
        }

        LinkTokens copy() {
            return new LinkTokens(prefix, key);
        }

        @Override
        public String apply(long linkId) {
            byte[] mac = this.mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(linkId).array());
            return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
        }
    }
}
