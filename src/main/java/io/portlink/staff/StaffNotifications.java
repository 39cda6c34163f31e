package io.portlink.staff;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.platform.ConflictException;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.BuyerNotices;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * "My notifications": how the signed-in staff user is told what needs a buyer (an e-mail at once, a daily digest at an
 * hour of the organisation's time zone, or none; {@link BuyerNotices}). Every staff user sets their own.
 */
@Path("/app/account/notifications")
@Produces(MediaType.TEXT_HTML)
public class StaffNotifications {

    @Inject
    StaffContext staff;

    @Inject
    BuyerNotices notices;

    /** The form as shown: what is saved, or what was typed. */
    public record Form(String mode, String digestHour, String version) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(StaffContext.Header header, Form form, String zone, List<String> errors,
                String message, String conflict);
    }

    @GET
    public TemplateInstance page(@QueryParam("done") String done) {
        return render(saved(), List.of(), "saved".equals(done) ? "Your notification settings are saved." : null, null);
    }

    /** Saves the choice; a refused form comes back as typed with every problem (422), a stale one as saved (409). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@RestForm String mode, @RestForm String digestHour, @RestForm String version) {
        try {
            notices.save(staff.organizationId(), staff.userId(), mode, digestHour, version == null ? "" : version);
        } catch (ValidationException e) {
            List<String> errors = e.errors().stream().map(
                    f -> new ValidationException.FieldError(null, label(f.field()), f.message(), f.value()).describe())
                    .toList();
            return Response.status(422).entity(render(new Form(mode == null ? "" : mode,
                    digestHour == null ? "" : digestHour, version == null ? "" : version), errors, null, null)).build();
        } catch (ConflictException e) {
            return Response.status(409).entity(render(saved(), List.of(), null, e.getMessage())).build();
        }
        return Response.seeOther(URI.create("/app/account/notifications?done=saved")).build();
    }

    private static String label(String field) {
        return "mode".equals(field) ? "How to tell me" : FormErrors.label(field, Integer::toString);
    }

    private Form saved() {
        BuyerNotices.SettingView s = notices.setting(staff.organizationId(), staff.userId());
        return new Form(s.mode().name(), Integer.toString(s.digestHour()), s.version());
    }

    private TemplateInstance render(Form form, List<String> errors, String message, String conflict) {
        String zone = notices.setting(staff.organizationId(), staff.userId()).zone();
        return Templates.page(staff.header(), form, zone, errors, message, conflict);
    }
}
