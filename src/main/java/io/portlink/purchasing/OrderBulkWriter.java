package io.portlink.purchasing;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.id.IdentifierGenerator;
import org.postgresql.PGConnection;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.platform.Tokens;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;

/**
 * Writes the new orders of an import (order, lines, timeline entry, vendor link) without managed entities: rows are
 * gathered for {@link #CHUNK} orders, then sent in one {@code COPY} per table on PostgreSQL (batched inserts on other
 * databases), on the transaction's own connection, so the import stays all or nothing. Ids come from the entities' own
 * generators (the same sequences and blocks Hibernate uses), so later entity inserts never collide with them.
 * <p>
 * Writes the same columns an entity persist would: the rows are indistinguishable from those of {@link Orders#write}.
 * Must run inside the caller's transaction; the vendors it names must be flushed first (foreign keys), which
 * {@link #flush} does.
 */
final class OrderBulkWriter {

    /** Orders gathered before one write: ~4 rows each, a few hundred KB of text. */
    static final int CHUNK = 1000;

    private static final Table ORDERS = new Table("purchase_order",
            List.of("id", "organization_id", "vendor_id", "reference", "status", "delivery_address", "requested_date",
                    "consignee_name", "consignee_email", "consignee_phone", "consignee_language", "content_hash",
                    "created_at", "updated_at", "due_date", "mail_dead", "reminder_count", "revision",
                    "acknowledged_revision", "version"),
            List.of(Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.DATE,
                    Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
                    Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE, Types.BOOLEAN,
                    Types.INTEGER, Types.INTEGER, Types.INTEGER, Types.BIGINT));
    private static final Table LINES = new Table("order_line",
            List.of("id", "order_id", "line_no", "sku", "description", "quantity", "unit", "unit_price", "currency"),
            List.of(Types.BIGINT, Types.BIGINT, Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.NUMERIC,
                    Types.VARCHAR, Types.NUMERIC, Types.VARCHAR));
    private static final Table TIMELINE = new Table("timeline_entry",
            List.of("id", "organization_id", "purchase_order_id", "at", "actor_type", "actor_id", "actor_label", "kind",
                    "detail", "visibility"),
            List.of(Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR,
                    Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR));
    private static final Table LINKS = new Table("access_link",
            List.of("id", "organization_id", "scope", "purchase_order_id", "vendor_id", "token_hash", "token_hint",
                    "created_at", "created_by", "open_count", "bot_open_count"),
            List.of(Types.BIGINT, Types.BIGINT, Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.VARCHAR, Types.VARCHAR,
                    Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.INTEGER, Types.INTEGER));

    private final EntityManager em;
    private final SharedSessionContractImplementor session;
    private final IdentifierGenerator orderIds;
    private final IdentifierGenerator lineIds;
    private final IdentifierGenerator entryIds;
    private final IdentifierGenerator linkIds;
    private final Links links;
    private final long organizationId;
    private final Actor actor;
    private final Instant now;
    private final List<Object[]> orders = new ArrayList<>(CHUNK);
    private final List<Object[]> lines = new ArrayList<>(CHUNK * 4);
    private final List<Object[]> entries = new ArrayList<>(CHUNK);
    private final List<Object[]> linkRows = new ArrayList<>(CHUNK);
    /** The token of a link id, or null: random tokens ({@link Links#mint}). */
    private final java.util.function.LongFunction<String> tokens;

    OrderBulkWriter(EntityManager em, Links links, long organizationId, Actor actor, Instant now) {
        this(em, links, organizationId, actor, now, null);
    }

    /**
     * A writer whose links get {@code tokens.apply(linkId)} as their token (only its hash and hint are written), so a
     * caller can hand the tokens out later without holding them ({@link OrderImport}); null: random tokens.
     */
    OrderBulkWriter(EntityManager em, Links links, long organizationId, Actor actor, Instant now,
            java.util.function.LongFunction<String> tokens) {
        this.tokens = tokens;
        this.em = em;
        this.session = em.unwrap(SharedSessionContractImplementor.class);
        this.orderIds = generator(PurchaseOrder.class);
        this.lineIds = generator(OrderLine.class);
        this.entryIds = generator(TimelineEntry.class);
        this.linkIds = generator(AccessLink.class);
        this.links = links;
        this.organizationId = organizationId;
        this.actor = actor;
        // as an entity's timestamp column stores it (microseconds)
        this.now = now.truncatedTo(ChronoUnit.MICROS);
    }

    private IdentifierGenerator generator(Class<?> entity) {
        return (IdentifierGenerator) session.getFactory().getMappingMetamodel().getEntityDescriptor(entity)
                .getGenerator();
    }

    private long nextId(IdentifierGenerator generator) {
        return ((Number) generator.generate(session, null)).longValue();
    }

    /**
     * Gathers one new order (status PENDING, timeline "IMPORTED", one vendor link without recipient) and writes the
     * gathered rows every {@link #CHUNK} orders. Answers as {@link Orders#write} does.
     */
    Orders.Created add(Vendor vendor, OrderDraft draft) {
        long vendorId = vendor.id;
        Links.Minted token = tokens == null ? Links.mint(VendorLinks.SCOPE) : null;
        long linkId = gather(vendorId, draft, token);
        String value = token == null ? tokens.apply(linkId) : token.token();
        var issued = new Links.Issued(linkId, value, links.url(VendorLinks.SCOPE, value), null);
        return new Orders.Created(draft.reference(), OrderStatus.PENDING, Orders.Outcome.CREATED, issued,
                Vendors.Contact.of(vendor));
    }

    /**
     * As {@link #add}, for a writer with its own tokens: answers only the new link's id (its token is
     * {@code tokens.apply(id)}).
     */
    long addOrder(long vendorId, OrderDraft draft) {
        return gather(vendorId, draft, null);
    }

    private long gather(long vendorId, OrderDraft draft, Links.Minted minted) {
        long orderId = nextId(orderIds);
        orders.add(new Object[] { orderId, organizationId, vendorId, draft.reference(), OrderStatus.PENDING.name(),
                draft.deliveryAddress(), draft.requestedDate(), draft.consignee().name(), draft.consignee().email(),
                draft.consignee().phone(), draft.consignee().language(), draft.contentHash(), now, now,
                draft.requestedDate(), false, 0, 1, 1, 0L });
        int lineNo = 1;
        for (OrderDraft.Line l : draft.lines()) {
            lines.add(new Object[] { nextId(lineIds), orderId, lineNo++, l.sku(), l.description(), l.quantity(),
                    l.unit(), l.unitPrice(), l.currency() });
        }
        int n = draft.lines().size();
        entries.add(new Object[] { nextId(entryIds), organizationId, orderId, now, actor.type().name(), actor.id(),
                Timeline.label(actor.label()), OrderEvent.IMPORTED.name(),
                Timeline.detail(n + (n == 1 ? " line" : " lines")), Visibility.INTERNAL.name() });
        long linkId = nextId(linkIds);
        String hash;
        String hint;
        if (minted != null) {
            hash = minted.hash();
            hint = minted.hint();
        } else {
            String token = tokens.apply(linkId);
            hash = Tokens.sha256(token);
            hint = Tokens.hint(token);
        }
        linkRows.add(new Object[] { linkId, organizationId, VendorLinks.SCOPE.name(), orderId, vendorId, hash, hint,
                now, actor.label(), 0, 0 });
        if (orders.size() >= CHUNK) {
            flush();
        }
        return linkId;
    }

    /** Writes what was gathered (vendors pending in the persistence context first: the rows name them). */
    void flush() {
        if (orders.isEmpty()) {
            return;
        }
        em.flush();
        em.unwrap(Session.class).doWork(connection -> {
            boolean copy = connection.isWrapperFor(PGConnection.class);
            write(connection, copy, ORDERS, orders);
            write(connection, copy, LINES, lines);
            write(connection, copy, TIMELINE, entries);
            write(connection, copy, LINKS, linkRows);
        });
        orders.clear();
        lines.clear();
        entries.clear();
        linkRows.clear();
    }

    /**
     * Writes {@code rows} (values in the table's column order) into a table: one {@code COPY} on PostgreSQL
     * ({@code copy} true), a batch of inserts elsewhere.
     */
    static void write(Connection connection, boolean copy, Table table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (copy) {
            try {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "copy " + table.name + " (" + String.join(", ", table.columns) + ") from stdin",
                        copyText(rows));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (PreparedStatement ps = connection
                .prepareStatement("insert into " + table.name + " (" + String.join(", ", table.columns) + ") values ("
                        + String.join(", ", Collections.nCopies(table.columns.size(), "?")) + ")")) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(ps, i + 1, table.types.get(i), row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, int index, int type, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, type);
        } else if (value instanceof Instant at) {
            ps.setObject(index, at.atOffset(ZoneOffset.UTC));
        } else {
            ps.setObject(index, value);
        }
    }

    /** Rows in COPY's text format: tab between columns, \N for null, backslash escapes. */
    private static Reader copyText(List<Object[]> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 160);
        for (Object[] row : rows) {
            appendCopyRow(out, row);
        }
        return new StringReader(out.toString());
    }

    /** Appends one row in COPY's text format, ended by a line feed. */
    static void appendCopyRow(StringBuilder out, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object v = row[i];
            if (v == null) {
                out.append("\\N");
            } else if (v instanceof String s) {
                escape(out, s);
            } else if (v instanceof BigDecimal d) {
                out.append(d.toPlainString());
            } else if (v instanceof Boolean b) {
                out.append(b ? 't' : 'f');
            } else if (v instanceof Instant || v instanceof LocalDate || v instanceof Number) {
                out.append(v);
            } else {
                throw new IllegalArgumentException("no COPY form for " + v.getClass());
            }
        }
        out.append('\n');
    }

    private static void escape(StringBuilder out, String s) {
        int n = s.length();
        int first = 0;
        while (first < n) {
            char c = s.charAt(first);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                break;
            }
            first++;
        }
        // most values have nothing to escape: appended in one copy, not char by char
        out.append(s, 0, first);
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
            case '\\' -> out.append("\\\\");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            default -> out.append(c);
            }
        }
    }

    /** A table's name, the columns written and their JDBC types (for a null in a batched insert). */
    record Table(String name, List<String> columns, List<Integer> types) {
    }
}
