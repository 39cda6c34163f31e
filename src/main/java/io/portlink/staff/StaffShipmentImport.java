package io.portlink.staff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.portlink.platform.Convention;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentCsv;
import io.portlink.shipment.ShipmentImport;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The staff's CSV import of shipments: the upload form (with the file's decimal mark), the template download, and the
 * result. All or nothing, like the purchase-order import: any problem and the form comes back listing every one by row
 * and column.
 */
@Path("/app/shipments/import")
@Produces(MediaType.TEXT_HTML)
public class StaffShipmentImport {

    @Inject
    StaffContext staff;

    @Inject
    ShipmentImport imports;

    @Inject
    Pipelines pipelines;

    @Inject
    PortlinkConfig config;

    @Inject
    java.time.Clock clock;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance importForm(StaffContext.Header header, List<String> columns,
                List<ValidationException.FieldError> errors, StaffImport.Conventions conventions,
                Pipelines.PipelineView pipeline);

        static native TemplateInstance imported(StaffContext.Header header, int created, int unchanged,
                int stopsUpdated, List<Imported> shipments, boolean hasLinks);
    }

    /**
     * One shipment of the file on the result page; {@code trackingLinkUrl}: the link made with it when the organisation
     * creates one with every new shipment (shown on this page only), else null.
     */
    public record Imported(long id, String reference, String title, String stage, boolean created, boolean stopsUpdated,
            String trackingLinkUrl) {
    }

    @GET
    public TemplateInstance importForm() {
        return form(List.of(), null);
    }

    /** A CSV to fill in, written the way this organisation's spreadsheets write numbers and dates. */
    @GET
    @Path("/template")
    @Produces("text/csv")
    public Response template() {
        String country = staff.organization().country();
        String csv = ShipmentCsv.template(Convention.of(country, null), Convention.currency(country),
                staff.organization().format().today(clock).getYear() + 1, pipeline().first().name());
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"shipments-template.csv\"").build();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@RestForm("file") List<FileUpload> files, @RestForm String decimal) {
        Convention.DecimalMark mark;
        try {
            mark = Convention.DecimalMark.parse("decimal", decimal);
        } catch (ValidationException e) {
            return Response.status(422).entity(form(e.errors(), null)).build();
        }
        var problem = Uploads.problem("file", files, "choose a CSV file to upload");
        if (problem != null) {
            return Response.status(422).entity(form(List.of(problem), mark)).build();
        }
        FileUpload file = Uploads.sent(files);
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            var parsed = ShipmentCsv.read(in, config.importLimits(),
                    Convention.of(staff.organization().country(), mark));
            var report = imports.importAll(staff.organizationId(), parsed,
                    ShipmentActor.staff(staff.userId(), staff.email()));
            var rows = report.shipments().stream()
                    .map(r -> new Imported(r.shipment().id(), r.shipment().reference(), r.shipment().title(),
                            r.shipment().stage().name(), r.outcome() == ShipmentImport.Outcome.CREATED,
                            r.outcome() == ShipmentImport.Outcome.STOPS_UPDATED,
                            r.trackingLink() == null ? null : r.trackingLink().url()))
                    .toList();
            return Response.ok(Templates.imported(staff.header(), report.created(), report.unchanged(),
                    report.stopsUpdated(), rows, rows.stream().anyMatch(r -> r.trackingLinkUrl() != null))).build();
        } catch (ValidationException e) {
            return Response.status(422).entity(form(e.errors(), mark)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TemplateInstance form(List<ValidationException.FieldError> errors, Convention.DecimalMark mark) {
        String country = staff.organization().country();
        return Templates.importForm(staff.header(), ShipmentCsv.COLUMNS, errors,
                StaffImport.Conventions.of(country, mark), pipeline());
    }

    /** The pipeline new shipments start in (the default comes first). */
    private Pipelines.PipelineView pipeline() {
        return pipelines.list(staff.organizationId()).get(0);
    }
}
