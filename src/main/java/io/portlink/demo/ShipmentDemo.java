package io.portlink.demo;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.portlink.shipment.NoteScope;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.ShipmentStops.StopEvent;
import io.portlink.shipment.ShipmentStops.StopInput;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;

/**
 * Demo shipments for dev mode: a freight load and vehicles on a custom vehicle-import pipeline, at different stages,
 * with customer and internal notes, photos, and a pickup and a delivery stop each (address, coordinates, zone, window;
 * the load's pickup left today), so the tracking page shows where from, where to and when. The photos are PNGs drawn
 * here (bands of colour), no AWT needed.
 */
@ApplicationScoped
public class ShipmentDemo {

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    Pipelines pipelines;

    @Inject
    java.time.Clock clock;

    @Inject
    TrackingLinks tracking;

    @Inject
    ShipmentStops stops;

    void onSeeded(@Observes DemoData.Seeded event) {
        long org = event.organizationId();
        ShipmentActor system = ShipmentActor.system();
        LocalDate today = LocalDate.now(clock);

        var load = shipments.create(org,
                new ShipmentInput("LOAD-4471", "Load 4471: 18 pallets",
                        new ShipmentInput.CustomerInput("Harbour Foods Ltd", "goods-in@harbourfoods.example",
                                "+44 113 496 0000", "en"),
                        "Acme Trading Ltd\nUnit 4, Dockside Road\nLondon E16 2QD",
                        "Harbour Foods\n2 Quay Street\nLeeds LS1 4AP", new ShipmentInput.InternalInput("ST-4471", null,
                                "GBP", "1250", "1900", "0", "Haulier: Northline; tail lift needed")),
                system);
        stops.replace(org, load.id(), List.of(
                new StopInput("PICKUP", "Acme Trading depot", "Unit 4, Dockside Road\nLondon E16 2QD", "51.5076",
                        "0.0300", "Europe/London", today.atTime(7, 0).toString(), today.atTime(9, 0).toString()),
                new StopInput("DELIVERY", "Harbour Foods, goods in", "2 Quay Street\nLeeds LS1 4AP", "53.7950",
                        "-1.5470", "Europe/London", today.plusDays(2).atTime(8, 0).toString(),
                        today.plusDays(2).atTime(10, 0).toString())),
                system);
        shipments.changeStage(org, load.id(), "In transit", system);
        stops.mark(org, load.id(), 0, StopEvent.DEPARTURE, system);
        shipments.setEstimatedArrival(org, load.id(), today.plusDays(2), system);
        shipments.addNote(org, load.id(), NoteScope.CUSTOMER, "Your pallets left our London depot this morning.",
                system);
        shipments.addNote(org, load.id(), NoteScope.INTERNAL, "Customer asked for delivery before 10:00.", system);
        photos.add(org, load.id(), png(320, 200, 0x1f5fbf, 0xf2f4f7), "pallets.png", system);
        // a tracking link with the default options (its token is shown to no one: staff regenerate it to share)
        tracking.create(org, load.id(), null, system);

        long freight = pipelines.ensureDefault(org).id;
        var vehicle = pipelines.create(org, "Vehicle import", List.of(new Pipelines.StageInput("Purchased", "BOOKED"),
                new Pipelines.StageInput("At origin port", "DISPATCHED"),
                new Pipelines.StageInput("On vessel", "IN_TRANSIT"), new Pipelines.StageInput("Arrived", "ARRIVED"),
                new Pipelines.StageInput("Customs cleared", "ARRIVED"),
                new Pipelines.StageInput("Ready for collection", "READY_FOR_COLLECTION"),
                new Pipelines.StageInput("Delivered", "DELIVERED")));
        pipelines.setDefault(org, vehicle.id());
        // what vendors ship for the demo's purchase orders is goods, not cars: their shipments keep the freight stages
        pipelines.setVendorPipeline(org, freight);
        // reference, title, stage, VIN, days from today to the loading window at Yokohama
        String[][] cars = { { "VEH-1001", "2019 Toyota Land Cruiser 300", "On vessel", "JTMHV05J604123456", "-25" },
                { "VEH-1002", "2021 Nissan Patrol Y62", "Customs cleared", "JN1TANY62U0001234", "-40" },
                { "VEH-1003", "2018 Lexus LX 570", "Purchased", "JTJHY00W504012345", "6" } };
        for (int i = 0; i < cars.length; i++) {
            String[] c = cars[i];
            var s = shipments.create(org,
                    new ShipmentInput(c[0], c[1],
                            new ShipmentInput.CustomerInput(i == 1 ? "Jonas Weber" : "Sam Carter",
                                    i == 1 ? "jonas.weber@example.de" : "sam.carter@example.com",
                                    "+44 7700 900" + (100 + i), i == 1 ? "de" : "en"),
                            "Yokohama, Japan", "Southampton, United Kingdom",
                            new ShipmentInput.InternalInput("STK-" + (77 + i), c[3], "GBP",
                                    String.valueOf(18500 + 1000 * i), String.valueOf(24000 + 1500 * i),
                                    String.valueOf(5000), "Deposit received by wire")),
                    system);
            LocalDate loading = today.plusDays(Integer.parseInt(c[4]));
            LocalDate arrival = today.plusDays(10 + 7 * i);
            stops.replace(org, s.id(),
                    List.of(new StopInput("PICKUP", "Port of Yokohama, Daikoku pier",
                            "Daikoku-futo, Tsurumi-ku\nYokohama 230-0054", "35.4650", "139.6860", "Asia/Tokyo",
                            loading.atTime(8, 0).toString(), loading.atTime(17, 0).toString()),
                            new StopInput("DELIVERY", "Southampton Eastern Docks, vehicle collection",
                                    "Dock Gate 4\nSouthampton SO14 3GG", "50.8990", "-1.3960", "Europe/London",
                                    arrival.atTime(9, 0).toString(), arrival.atTime(16, 0).toString())),
                    system);
            shipments.changeStage(org, s.id(), c[2], system);
            shipments.setEstimatedArrival(org, s.id(), arrival, system);
            shipments.addNote(org, s.id(), NoteScope.CUSTOMER, "Thank you for your purchase. We will keep you posted.",
                    system);
            shipments.addNote(org, s.id(), NoteScope.INTERNAL, "Balance due on arrival.", system);
            photos.add(org, s.id(), png(320, 200, 0x101828 + 0x202000 * i, 0xfffaeb), "front.png", system);
            long side = photos.add(org, s.id(), png(320, 200, 0x067647, 0xecfdf3), "side.png", system).orElseThrow()
                    .photo().id();
            if (i == 0) {
                // the first car's link shows its gallery's second photo, and no notes
                tracking.create(org, s.id(), null, system);
                tracking.setOptions(org, s.id(), new TrackingLinks.Options(true, true, true, false), List.of(side),
                        system);
            }
        }
    }

    /** A PNG of horizontal bands in two colours (RGB 0xRRGGBB), {@code width} × {@code height} pixels. */
    static byte[] png(int width, int height, int ink, int paper) {
        byte[] raw = new byte[height * (1 + width * 3)];
        int at = 0;
        for (int y = 0; y < height; y++) {
            raw[at++] = 0; // filter: none
            int colour = (y / 20) % 2 == 0 ? ink : paper;
            for (int x = 0; x < width; x++) {
                raw[at++] = (byte) (colour >> 16);
                raw[at++] = (byte) (colour >> 8);
                raw[at++] = (byte) colour;
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", compressed.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
