package io.portlink.purchasing;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One staff user's choice of how to be told what needs a buyer ({@link BuyerNotices}). A user without a row has the
 * defaults: {@link Mode#AT_ONCE}, digest at {@value #DEFAULT_HOUR}:00 in the organisation's time zone.
 */
@Entity
public class BuyerNoticeSetting extends PanacheEntityBase {

    /** The digest hour of a user who never chose one (organisation's time zone). */
    public static final int DEFAULT_HOUR = 7;

    /** How a user is told. */
    public enum Mode {
        /** One mail per event, queued with the event. */
        AT_ONCE,
        /** One mail a day at the user's hour, listing each event since the last one once. */
        DIGEST,
        /** Nothing (the queue still shows it all). */
        NONE
    }

    /** The staff user's id (one row per user). */
    @Id
    public Long staffUserId;

    @Column(nullable = false)
    public Long organizationId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Mode mode;

    /** 0 to 23, in the organisation's time zone. */
    @Column(nullable = false)
    public int digestHour;

    /** The organisation's calendar day whose digest was sent last (null before the first). */
    public LocalDate lastDigestDay;

    @Version
    public long version;
}
