package bench.bare;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.*;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.HexFormat;
import org.postgresql.PGConnection;

/** A: one indexed lookup + one Qute page. B: A + one UPDATE. POST /copy: the body (CSV) COPYed into bare_line. */
@Path("/")
public class Bare {
    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance page(BareLink link);
    }

    @Inject
    AgroalDataSource dataSource;

    static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes("UTF-8")));
    }

    static BareLink find(String token) throws Exception {
        BareLink link = BareLink.find("tokenHash", sha256(token)).firstResult();
        if (link == null) throw new NotFoundException();
        return link;
    }

    @GET @Path("a/{token}") @Produces(MediaType.TEXT_HTML) @Transactional
    public TemplateInstance a(@PathParam("token") String token) throws Exception {
        return Templates.page(find(token));
    }

    @GET @Path("b/{token}") @Produces(MediaType.TEXT_HTML) @Transactional
    public TemplateInstance b(@PathParam("token") String token) throws Exception {
        BareLink link = find(token);
        BareLink.update("openCount = openCount + 1 where id = ?1", link.id);
        return Templates.page(link);
    }

    @POST @Path("copy") @Consumes("text/csv") @Produces(MediaType.TEXT_PLAIN)
    public String copy(InputStream body) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            long rows = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY bare_line FROM STDIN WITH (FORMAT csv, HEADER true)", body);
            return rows + "\n";
        }
    }
}
