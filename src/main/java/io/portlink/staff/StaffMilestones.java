package io.portlink.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.platform.ConflictException;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.DelayAlerts;
import io.portlink.shipment.MilestoneMail;
import io.portlink.shipment.MilestoneRules;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentTriggered;
import io.portlink.shipment.Shipments;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Staff: the organisation's milestone rules (list, create, edit, enable/disable, delete, preview for a chosen or sample
 * shipment, test send to one's own address) and its delay-alert settings (threshold, "no position" hours, alert
 * addresses, customers' own thresholds). Every id is looked up within the signed-in staff member's organisation.
 */
@Path("/app/shipments/milestones")
@Produces(MediaType.TEXT_HTML)
public class StaffMilestones {

    /** Customer thresholds per page. */
    static final int OVERRIDES_PAGE = 50;

    @Inject
    StaffContext staff;

    @Inject
    MilestoneRules rules;

    @Inject
    DelayAlerts delays;

    @Inject
    Pipelines pipelines;

    @Inject
    Shipments shipments;

    /** The rule form as typed ({@code id}, {@code version} null for a new rule). */
    public record RuleForm(Long id, Long version, String trigger, String stageId, boolean mailCustomer,
            String extraRecipients) {

        static RuleForm empty() {
            return new RuleForm(null, null, "", "", true, "");
        }

        static RuleForm of(MilestoneRules.RuleView r) {
            return new RuleForm(r.id(), r.version(), r.trigger().name(), r.stageId() == null ? "" : "" + r.stageId(),
                    r.mailCustomer(), String.join(", ", r.extraRecipients()));
        }

        public String action() {
            return id == null ? "/app/shipments/milestones" : "/app/shipments/milestones/" + id;
        }
    }

    /** The settings form as typed. */
    public record SettingsForm(String thresholdMinutes, String noPositionHours, String alertEmails) {

        static SettingsForm of(DelayAlerts.Settings s) {
            return new SettingsForm("" + s.thresholdMinutes(), "" + s.noPositionHours(),
                    s.alertEmails() == null ? "" : s.alertEmails());
        }
    }

    /** The customer-threshold form as typed. */
    public record OverrideForm(String customerName, String customerThreshold) {
    }

    /** A trigger as the form offers it. */
    public record TriggerOption(String name, String label) {
    }

    /** The preview of a rule's mail, for the shipment reference and language asked for. */
    public record Preview(MilestoneMail.Rendered mail, String shipment, String language, boolean sample) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(StaffContext.Header header, List<MilestoneRules.RuleView> rules,
                RuleForm form, List<TriggerOption> triggers, List<Pipelines.PipelineView> pipelines,
                SettingsForm settings, List<DelayAlerts.Override> overrides, OverrideForm override, int page,
                boolean hasNext, List<ValidationException.FieldError> errors, String errorsFor, String message);

        static native TemplateInstance edit(StaffContext.Header header, RuleForm form, List<TriggerOption> triggers,
                List<Pipelines.PipelineView> pipelines, List<ValidationException.FieldError> errors, String error,
                Preview preview, List<String> languages, String message);
    }

    private static final Map<String, String> DONE = Map.ofEntries(Map.entry("created", "The rule is created."),
            Map.entry("saved", "The rule is saved."), Map.entry("enabled", "The rule is on."),
            Map.entry("disabled", "The rule is off: it sends nothing until it is turned on again."),
            Map.entry("deleted", "The rule is deleted."),
            Map.entry("settings",
                    "The delay settings are saved; a shipment's lateness is checked again at its next"
                            + " ETA change."),
            Map.entry("customer", "The customer's threshold is saved."),
            Map.entry("customer-removed", "The customer's threshold is removed: the organisation's applies."));

    @GET
    public TemplateInstance page(@QueryParam("done") String done, @QueryParam("page") String page) {
        Paging paging = Paging.parse(page, null, OVERRIDES_PAGE);
        return render(RuleForm.empty(), SettingsForm.of(delays.settings(staff.organizationId())),
                new OverrideForm("", ""), paging, List.of(), null, done == null ? null : DONE.get(done));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String trigger, @RestForm String stageId, @RestForm String mailCustomer,
            @RestForm String extraRecipients) {
        RuleForm form = new RuleForm(null, null, trigger, stageId, ticked(mailCustomer), extraRecipients);
        try {
            rules.create(staff.organizationId(), input(form));
            return see("/app/shipments/milestones?done=created");
        } catch (ValidationException e) {
            return Response.status(422).entity(render(form, SettingsForm.of(delays.settings(staff.organizationId())),
                    new OverrideForm("", ""), new Paging(0, OVERRIDES_PAGE), e.errors(), "rule", null)).build();
        }
    }

    @GET
    @Path("/{id}")
    public Response edit(@PathParam("id") long id, @QueryParam("shipment") String shipment,
            @QueryParam("lang") String lang, @QueryParam("done") String done) {
        long org = staff.organizationId();
        return rules.view(org, id).map(r -> {
            String ref = shipment == null ? "" : shipment.strip();
            Long shipmentId = ref.isEmpty() ? null : shipments.idOf(org, ref).orElse(null);
            String language = Locales.isLanguage(lang) ? lang : null;
            MilestoneMail.Rendered mail = rules.preview(org, id, shipmentId, language).orElseThrow();
            Preview preview = new Preview(mail, ref, language == null ? "" : language, shipmentId == null);
            return Response.ok(Templates.edit(staff.header(), RuleForm.of(r), triggers(), pipelines.list(org),
                    List.of(), null, preview, Locales.LANGUAGES, done == null ? null : editDone(done))).build();
        }).orElseGet(StaffMilestones::notFound);
    }

    private static String editDone(String done) {
        return "test".equals(done) ? "The test mail is queued to your own address." : DONE.get(done);
    }

    /** The HTML body of a rule's preview, as the mail shows it (for the preview page's "open as HTML"). */
    @GET
    @Path("/{id}/preview")
    public Response previewHtml(@PathParam("id") long id, @QueryParam("shipment") String shipment,
            @QueryParam("lang") String lang) {
        long org = staff.organizationId();
        String ref = shipment == null ? "" : shipment.strip();
        Long shipmentId = ref.isEmpty() ? null : shipments.idOf(org, ref).orElse(null);
        return rules.preview(org, id, shipmentId, Locales.isLanguage(lang) ? lang : null)
                .map(m -> Response.ok(m.html()).type("text/html; charset=utf-8").build())
                .orElseGet(StaffMilestones::notFound);
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") long id, @RestForm String version, @RestForm String trigger,
            @RestForm String stageId, @RestForm String mailCustomer, @RestForm String extraRecipients) {
        long org = staff.organizationId();
        Long seen = version == null || !version.strip().matches("[0-9]{1,18}") ? null : Long.valueOf(version.strip());
        RuleForm form = new RuleForm(id, seen, trigger, stageId, ticked(mailCustomer), extraRecipients);
        if (rules.view(org, id).isEmpty()) {
            return notFound();
        }
        try {
            if (seen == null) {
                throw ValidationException.of("version", "is missing: reload the page and edit the rule again", version);
            }
            return rules.update(org, id, seen, input(form)).map(r -> see("/app/shipments/milestones?done=saved"))
                    .orElseGet(StaffMilestones::notFound);
        } catch (ValidationException e) {
            return Response.status(422).entity(Templates.edit(staff.header(), form, triggers(), pipelines.list(org),
                    e.errors(), null, null, Locales.LANGUAGES, null)).build();
        } catch (ConflictException e) {
            return Response.status(409).entity(Templates.edit(staff.header(), form, triggers(), pipelines.list(org),
                    List.of(), e.getMessage(), null, Locales.LANGUAGES, null)).build();
        }
    }

    /** Turns the rule on ({@code on} ticked) or off. */
    @POST
    @Path("/{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enabled(@PathParam("id") long id, @RestForm String on) {
        boolean enable = ticked(on);
        return rules.setEnabled(staff.organizationId(), id, enable)
                ? see("/app/shipments/milestones?done=" + (enable ? "enabled" : "disabled")) : notFound();
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") long id) {
        return rules.delete(staff.organizationId(), id) ? see("/app/shipments/milestones?done=deleted") : notFound();
    }

    /** Queues the rule's preview (shipment and language as chosen) to the signed-in staff member's own address. */
    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response test(@PathParam("id") long id, @RestForm String shipment, @RestForm String lang) {
        long org = staff.organizationId();
        String ref = shipment == null ? "" : shipment.strip();
        Long shipmentId = ref.isEmpty() ? null : shipments.idOf(org, ref).orElse(null);
        String language = Locales.isLanguage(lang) ? lang : "";
        return rules.sendTest(org, id, shipmentId, language.isEmpty() ? null : language, staff.email())
                .map(to -> see("/app/shipments/milestones/" + id + "?done=test&shipment="
                        + java.net.URLEncoder.encode(ref, java.nio.charset.StandardCharsets.UTF_8) + "&lang="
                        + language))
                .orElseGet(StaffMilestones::notFound);
    }

    @POST
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response settings(@RestForm String thresholdMinutes, @RestForm String noPositionHours,
            @RestForm String alertEmails) {
        SettingsForm form = new SettingsForm(thresholdMinutes, noPositionHours, alertEmails);
        try {
            delays.saveSettings(staff.organizationId(), thresholdMinutes, noPositionHours, alertEmails);
            return see("/app/shipments/milestones?done=settings");
        } catch (ValidationException e) {
            return Response.status(422).entity(render(RuleForm.empty(), form, new OverrideForm("", ""),
                    new Paging(0, OVERRIDES_PAGE), e.errors(), "settings", null)).build();
        }
    }

    @POST
    @Path("/customers")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response customer(@RestForm String customerName, @RestForm String customerThreshold) {
        OverrideForm form = new OverrideForm(customerName, customerThreshold);
        try {
            delays.setOverride(staff.organizationId(), customerName, customerThreshold);
            return see("/app/shipments/milestones?done=customer");
        } catch (ValidationException e) {
            return Response.status(422)
                    .entity(render(RuleForm.empty(), SettingsForm.of(delays.settings(staff.organizationId())), form,
                            new Paging(0, OVERRIDES_PAGE), e.errors(), "customer", null))
                    .build();
        }
    }

    @POST
    @Path("/customers/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response removeCustomer(@PathParam("id") long id) {
        return delays.removeOverride(staff.organizationId(), id)
                ? see("/app/shipments/milestones?done=customer-removed") : notFound();
    }

    private TemplateInstance render(RuleForm form, SettingsForm settings, OverrideForm override, Paging paging,
            List<ValidationException.FieldError> errors, String errorsFor, String message) {
        long org = staff.organizationId();
        // one row more than a page tells whether there is a next page, without counting
        List<DelayAlerts.Override> rows = delays.overrides(org, new Paging(paging.page(), paging.size() + 1));
        boolean hasNext = rows.size() > paging.size();
        return Templates.page(staff.header(), rules.list(org), form, triggers(), pipelines.list(org), settings,
                hasNext ? rows.subList(0, paging.size()) : rows, override, paging.page(), hasNext, errors, errorsFor,
                message);
    }

    private static List<TriggerOption> triggers() {
        return java.util.Arrays.stream(ShipmentTriggered.Trigger.values())
                .map(t -> new TriggerOption(t.name(), MilestoneRules.label(t))).toList();
    }

    private static MilestoneRules.RuleInput input(RuleForm form) {
        return new MilestoneRules.RuleInput(form.trigger(), form.stageId(), form.mailCustomer(),
                form.extraRecipients());
    }

    private static boolean ticked(String value) {
        return value != null && !value.isBlank();
    }

    private static Response see(String location) {
        return Response.seeOther(URI.create(location)).build();
    }

    private static Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such rule in your organisation.").build();
    }
}
