package bench.bare;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;

/** One row of bare_link (created and seeded by bench/perf.sh): a link found by the SHA-256 of its token. */
@Entity
@Table(name = "bare_link")
public class BareLink extends PanacheEntityBase {
    @Id
    public Long id;
    public String tokenHash;
    public String reference;
    public String vendorName;
    public String title;
    public LocalDate dueDate;
    public BigDecimal amount;
    public int openCount;
}
