package io.portlink.purchasing;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Everything a vendor reads (portal pages and mails), in English here and translated in
 * {@code messages/msg_<language>.properties}. Templates use {@code {msg:key}}, Java code
 * {@link VendorTexts#in(String)}. Staff pages are English only.
 */
// VendorTexts.plain reads the texts without arguments through reflection: a native binary must keep the methods
@RegisterForReflection(methods = true, fields = false)
@MessageBundle(value = "msg", locale = "en")
public interface VendorMessages {

    // ------------------------------------------------------------ every page

    @Message("en")
    String lang();

    @Message("Secure order link · please do not forward it")
    String footer();

    /** The neutral page's footer: it serves every kind of link, so it names none. */
    @Message("Secure link · please do not forward it")
    String footer_link();

    @Message("{#when status}{#is PENDING}Pending{#is NOTIFIED}Sent to vendor{#is ACKNOWLEDGED}Confirmed"
            + "{#is PREPARING}Preparing{#is DISPATCHED}Dispatched{#is DELIVERED}Delivered{#is DECLINED}Declined"
            + "{#is CANCELLED}Cancelled{/when}")
    String status(OrderStatus status);

    // ------------------------------------------------------------ order page

    @Message("Purchase order from")
    String order_from();

    /** What follows a label before its value: ":" (French puts a no-break space before it). */
    @Message(":")
    String colon();

    @Message("Requested delivery")
    String requested_delivery();

    @Message("Expected delivery")
    String expected_delivery();

    @Message("not given yet")
    String not_given_yet();

    @Message("Deliver to")
    String deliver_to();

    @Message("Tracking")
    String tracking();

    @Message("Declined because")
    String declined_because();

    @Message("Your last note")
    String your_last_note();

    @Message("Lines")
    String lines();

    @Message("SKU")
    String sku();

    @Message("{price} each")
    String each(String price);

    @Message("Confirm order")
    String confirm_order();

    @Message("Is {date} still right?")
    String still_right(String date);

    @Message("Still on time")
    String still_on_time();

    @Message("If not, give the new date below.")
    String if_not_new_date();

    @Message("Expected delivery date")
    String expected_delivery_date();

    @Message("Save date")
    String save_date();

    @Message("Progress")
    String progress();

    @Message("New status")
    String new_status();

    @Message("Update status")
    String update_status();

    @Message("Carrier and tracking number")
    String carrier_and_tracking();

    @Message("Saving these ships every line in full. To send part of the order, use “Ship goods” below.")
    String tracking_ships_all();

    @Message("Carrier")
    String carrier();

    @Message("Tracking number")
    String tracking_number();

    @Message("Save tracking")
    String save_tracking();

    @Message("Note to {organization}")
    String note_to(String organization);

    @Message("Note")
    String note();

    @Message("Send note")
    String send_note();

    @Message("Decline this order")
    String decline_this_order();

    @Message("Why can you not supply it?")
    String why_decline();

    @Message("Decline order")
    String decline_order();

    @Message("All my orders with {organization}")
    String all_orders_with(String organization);

    // ------------------------------------------------------------ after an action

    @Message("Thank you: the order is confirmed.")
    String saved_confirm();

    @Message("The order is declined. The buyer has been told.")
    String saved_decline();

    @Message("The expected delivery date is saved.")
    String saved_date();

    @Message("The status is saved.")
    String saved_status();

    @Message("The tracking number is saved.")
    String saved_tracking();

    @Message("Your note was sent to the buyer.")
    String saved_note();

    @Message("Already saved: nothing changed.")
    String saved_already();

    @Message("Thank you: the delivery date is confirmed.")
    String saved_on_time();

    @Message("This order was changed meanwhile. Here is its current state: check it and submit again.")
    String changed_meanwhile();

    /** A form already sent, sent again with other values (the browser's Back): the new values were not saved. */
    @Message("This form was already sent once, with other values. Your new values were not saved: here is the order"
            + " as it is now, with what you typed. Check it and submit again.")
    String form_sent_before();

    /** Before why a form no longer fits at all (the order closed, a step passed): nothing to submit again. */
    @Message("This order was changed meanwhile.")
    String changed_meanwhile_intro();

    // ------------------------------------------------------------ a declined order, reopened on purpose

    @Message("Can you supply it after all?")
    String reopen_title();

    @Message("You declined this order. {organization} may already be buying it elsewhere: reopen it only if you can"
            + " really supply it. {organization} will be told at once.")
    String reopen_warning(String organization);

    @Message("I understand that this withdraws my decline and confirms the order.")
    String reopen_understood();

    @Message("I can supply it after all")
    String reopen_button();

    @Message("The order is open again and confirmed. The buyer has been told.")
    String saved_reopen();

    // ------------------------------------------------------------ what to fix in a form

    @Message("Reason")
    String reason();

    @Message("This form could not be accepted, so nothing was changed. Here is the order as it is now: please send your change once more.")
    String error_form_expired();

    @Message("This page was open for a long time, so nothing was saved. Here it is again as the order is now: please send your change once more.")
    String page_old();

    @Message("Please write why you cannot supply the order, then press “Decline order” again.")
    String error_reason_required();

    @Message("Please write your note before sending it.")
    String error_note_required();

    @Message("{field}: please shorten it to at most {max} characters (it has {length}) and send it again.")
    String error_too_long(String field, String max, String length);

    @Message("{field}: please write it on one line, without line breaks.")
    String error_one_line(String field);

    @Message("{field} contains invisible control characters: please type it again.")
    String error_control_characters(String field);

    @Message("Please choose the expected delivery date.")
    String error_date_required();

    @Message("“{value}” is not a date we can read. Please pick the date in the calendar, or write it as"
            + " year-month-day, for example 2026-07-15.")
    String error_date_invalid(String value);

    @Message("{date} has already passed. Please choose {earliest} or a later date.")
    String error_date_past(String date, String earliest);

    @Message("{date} is more than two years away. Please choose a date up to {latest}; you can change it later.")
    String error_date_too_far(String date, String latest);

    @Message("Please choose the new status from the list.")
    String error_status_invalid();

    @Message("The order is already “{current}” and cannot go back to “{next}”. If something went wrong, please send"
            + " {organization} a note.")
    String error_status_backwards(String current, String next, String organization);

    /** {@code lines}: how many of the order's lines still have a quantity to ship. */
    @Message("Part of this order is still to ship ({lines} of its lines), so it cannot be marked delivered yet: ship the rest with “Ship goods”, and it is delivered when its shipments are. If less will come, please send {organization} a message.")
    String error_delivered_lines_left(String lines, String organization);

    /** {@code lines}: how many of the order's lines still have a quantity to ship. */
    @Message("Part of this order is still to ship ({lines} of its lines), so it cannot be marked dispatched yet: ship the rest with “Ship goods”, and it is dispatched when all of it is. If less will come, please send {organization} a message.")
    String error_dispatched_lines_left(String lines, String organization);

    /** Preparing asked for an order all of which has shipped already (its quantities amended down, say). */
    @Message("Everything on this order has shipped, so it is no longer being prepared. Mark it delivered when it has"
            + " arrived.")
    String error_preparing_all_shipped();

    @Message("This order is “{status}” and cannot be changed any more. Please contact {organization} if something"
            + " is not right.")
    String error_closed(String status, String organization);

    @Message("The order is already “{status}” and can no longer be declined here. Please contact {organization}"
            + " directly.")
    String error_cannot_decline(String status, String organization);

    @Message("Part of this order has already shipped, so it can no longer be declined here. If you cannot supply the"
            + " rest, please send {organization} a message.")
    String error_decline_shipped(String organization);

    @Message("Please enter the tracking number.")
    String error_tracking_required();

    @Message("“{value}” does not look like a tracking number. Please copy it from the carrier's receipt: letters,"
            + " digits, spaces and - . / _ only, at least 3 characters.")
    String error_tracking_invalid(String value);

    @Message("Please give an expected delivery date first.")
    String error_on_time_no_date();

    @Message("You declined this order. If you can supply it after all, please use “I can supply it after all”"
            + " below.")
    String error_declined_reopen_instead();

    @Message("Please tick the box to confirm that you can supply the order after all.")
    String error_reopen_unticked();

    // ------------------------------------------------------------ the vendor's order list

    @Message("Your orders with")
    String your_orders_with();

    @Message("Open")
    String open();

    @Message("No open orders.")
    String no_open_orders();

    @Message("expected {date}")
    String expected_on(String date);

    @Message("requested {date}")
    String requested_on(String date);

    @Message("Recently closed")
    String recently_closed();

    @Message("Back to order {reference}")
    String back_to_order(String reference);

    @Message("Next open orders →")
    String orders_next();

    @Message("← Previous open orders")
    String orders_previous();

    /** A page of the list past the last one (an old address, a typed number). */
    @Message("There are no more open orders here.")
    String orders_past_end();

    @Message("Go to the last page")
    String orders_last_page();

    /** Under the closed orders when more closed in the last 90 days than shown. */
    @Message("The {count} most recently closed are shown.")
    String closed_cut(int count);

    // ------------------------------------------------------------ a link that no longer works

    @Message("This link is not available")
    String unavailable_title();

    @Message("It may have expired or been replaced by a newer link.")
    String unavailable_why();

    @Message("This order is not on your link")
    String not_on_link_title();

    @Message("It may have been cancelled or passed to another supplier, or the address may have been typed wrongly. Your other orders are still here.")
    String not_on_link_why();

    @Message("See my orders")
    String not_on_link_back();

    @Message("Please send that again")
    String form_expired_title();

    @Message("This page was open for a long time, so what you sent could not be accepted safely. Nothing was changed.")
    String form_expired_why();

    @Message("Back to the order")
    String form_expired_back();

    @Message("That was too long to send")
    String form_too_large_title();

    /** The longest note and reason, in characters, written as the page's language writes numbers. */
    @Message("What you sent was longer than the page's fields allow, so it could not be read and nothing was changed. A note may be up to {note} characters and a reason up to {reason}: please go back, shorten the text and send it again.")
    String form_too_large_why(String note, String reason);

    @Message("Ask for a new link")
    String ask_new_link();

    @Message("Thank you. Your request for a new link has been passed on; you will receive one by the usual way.")
    String unavailable_asked();

    @Message("Please ask the person who sent it to you for a new link.")
    String ask_sender();

    @Message("Chosen your password already? Sign in")
    String unavailable_sign_in();

    // ------------------------------------------------------------ mails

    @Message("Purchase order {reference} from {organization}")
    String subject_new_order(String reference, String organization);

    @Message("Reminder: purchase order {reference} from {organization}")
    String subject_reminder(String reference, String organization);

    @Message("Delivery date of purchase order {reference}: still on time?")
    String subject_reconfirm(String reference);

    @Message("Purchase order {reference}: any news?")
    String subject_update(String reference);

    @Message("{organization} has sent you purchase order {reference}.")
    String intro_new_order(String organization, String reference);

    /** What WhatsApp and SMS prefill when staff hand a vendor its link by hand (the staff pages' share buttons). */
    @Message("Purchase order {reference} from {organization}: {url}")
    String share_text(String reference, String organization, String url);

    @Message("A reminder: {organization} is waiting for your confirmation of purchase order {reference}.")
    String intro_reminder(String organization, String reference);

    @Message("{organization} expects purchase order {reference} on {date}. Is that still right? Please confirm it or"
            + " give a new date.")
    String intro_reconfirm(String organization, String reference, String date);

    @Message("{organization} asks for news on purchase order {reference}: please give the expected delivery date,"
            + " progress or tracking.")
    String intro_update(String organization, String reference);

    @Message("Hello {name},")
    String hello(String name);

    @Message("Requested delivery: {date}.")
    String requested_delivery_on(String date);

    @Message("… and {count} more lines")
    String more_lines(int count);

    @Message("The purchase order is attached as a PDF.")
    String pdf_attached();

    @Message("Open order {reference}")
    String open_order(String reference);

    @Message("Confirm the order, give a delivery date and report progress and tracking. No account or password is"
            + " needed.")
    String what_to_do();

    @Message("Please open the order and confirm the delivery date, or give the new one. No account or password is"
            + " needed.")
    String what_to_do_reconfirm();

    @Message("Please open the order and give the expected delivery date, progress or tracking. No account or password"
            + " is needed.")
    String what_to_do_update();

    @Message("Please open the order, check the change and acknowledge it. No account or password is needed.")
    String what_to_do_changed();

    @Message("Please open the order and acknowledge the cancellation. No account or password is needed.")
    String what_to_do_cancelled();

    @Message("The order now reads")
    String order_now_reads();

    @Message("This link is for you only. Please do not forward it.")
    String for_you_only();

    // ------------------------------------------------------------ purchase-order PDF and buyer contact

    @Message("Purchase order")
    String pdf_title();

    @Message("Order date")
    String pdf_order_date();

    @Message("Supplier")
    String pdf_supplier();

    @Message("Your buyer")
    String your_buyer();

    @Message("Phone")
    String phone();

    @Message("Description")
    String pdf_description();

    @Message("Quantity")
    String pdf_quantity();

    @Message("Unit")
    String pdf_unit();

    @Message("Unit price")
    String pdf_unit_price();

    @Message("Amount")
    String pdf_line_total();

    @Message("Order total")
    String pdf_order_total();

    @Message("Page {page} of {pages}")
    String pdf_page(int page, int pages);

    @Message("continued")
    String pdf_continued();

    @Message("Confirm this order, give the delivery date and tracking online (scan the code or open the link):")
    String pdf_link();

    @Message("Give this order's delivery date, progress and tracking online (scan the code or open the link):")
    String pdf_link_confirmed();

    @Message("This order is closed: nothing to confirm. It stays online for reference (scan the code or open the"
            + " link):")
    String pdf_link_closed();

    @Message("Some characters could not be printed in this document and show as ?: {characters}. The order online"
            + " shows them as written.")
    String pdf_unprintable(String characters);

    @Message("Download the order as PDF")
    String download_pdf();

    @Message("Questions? Reply to this e-mail or contact your buyer:")
    String reply_to_buyer();

    // ------------------------------------------------------------ shipping (io.portlink.fulfilment)

    @Message("Ship goods")
    String ship_title();

    @Message("Enter what you send now, with its tracking number. Whatever you do not send stays open and can be"
            + " shipped later.")
    String ship_intro();

    @Message("Line {lineNo}")
    String line_no(int lineNo);

    @Message("Quantity to ship")
    String quantity_to_ship();

    @Message("{shipped} of {ordered} shipped, {remaining} to ship")
    String shipped_of(String shipped, String ordered, String remaining);

    /** A line of a closed order (delivered, declined, cancelled): nothing more is to ship. */
    @Message("{shipped} of {ordered} shipped")
    String shipped_of_closed(String shipped, String ordered);

    @Message("Ship date")
    String ship_date();

    @Message("Expected delivery at the customer")
    String expected_delivery_at();

    @Message("Ship")
    String ship_button();

    @Message("Your shipments")
    String shipments();

    @Message("shipped {date}")
    String shipped_on(String date);

    @Message("Not shipped")
    String fulfilment_not_shipped();

    @Message("Partially shipped")
    String fulfilment_partially_shipped();

    @Message("Shipped")
    String fulfilment_shipped();

    @Message("Delivered")
    String fulfilment_delivered();

    @Message("The shipment was saved.")
    String saved_ship();

    @Message("Line {lineNo} ({name}): “{value}” is not a quantity. Please enter a number of 0 or more, such as 5 or"
            + " 2.5 (at most 4 decimals).")
    String error_ship_quantity_invalid(int lineNo, String name, String value);

    @Message("Line {lineNo} ({name}): “{value}” is written with an exponent. Please write the number out: {written}.")
    String error_ship_quantity_exponent(int lineNo, String name, String value, String written);

    /**
     * {@code decimal} and {@code thousands}: the two readings of a value with one mark and three digits after it
     * ("1,000"), each written as the vendor writes numbers.
     */
    @Message("Line {lineNo} ({name}): is “{value}” {decimal} or {thousands}? Please type it without a thousands"
            + " separator: {decimal} or {thousands}.")
    String error_ship_quantity_ambiguous(int lineNo, String name, String value, String decimal, String thousands);

    @Message("Line {lineNo} ({name}): {value} is more than the {remaining} still to ship. Please ship at most"
            + " {remaining}.")
    String error_ship_too_much(int lineNo, String name, String value, String remaining);

    @Message("Please enter a quantity above 0 for at least one line.")
    String error_ship_nothing();

    @Message("The form sent {lines} line numbers but {quantities} quantities, so they cannot be matched. Nothing was"
            + " shipped: please reload the page and enter the quantities again.")
    String error_ship_lines_unmatched(String lines, String quantities);

    @Message("The form sent line {lineNo} more than once. Nothing was shipped: please reload the page and enter each"
            + " line's quantity once.")
    String error_ship_line_twice(int lineNo);

    @Message("The form sent line {line}, which this order does not have. Nothing was shipped: please reload the page"
            + " and enter the quantities again.")
    String error_ship_line_unknown(String line);

    @Message("The ship date {date} is in the future. Please enter the day the goods left, today at the latest.")
    String error_ship_date_future(String date);

    @Message("The ship date {date} is more than a year ago. Please enter the day the goods left, {earliest} or later.")
    String error_ship_date_too_old(String date, String earliest);

    @Message("The expected delivery {delivery} is before the ship date {shipped}. Please correct one of them.")
    String error_delivery_before_ship(String delivery, String shipped);

    @Message("Everything on this order has been shipped already.")
    String error_nothing_left();

    /** {@code shipment}: the order's latest shipment, whose tracking the form would have changed. */
    @Message("Everything on this order has shipped meanwhile, so this form would change the tracking of shipment"
            + " {shipment}. Check the shipments on the page; if that one's tracking is wrong, correct it there.")
    String error_tracking_form_outdated(String shipment);

    /** {@code shipment}: a shipment of part of the order made after the short "ship everything" form was drawn. */
    @Message("Part of this order has shipped meanwhile, as shipment {shipment}, so this form can no longer ship"
            + " everything under one tracking number. Check the shipments on the page, then ship what is left with"
            + " “Ship goods”.")
    String error_tracking_form_part_shipped(String shipment);

    // ------------------------------------------------------------ amendments and cancellation

    @Message("Currency")
    String currency();

    @Message("none")
    String none_value();

    @Message("Line {line} ({item}): {field} {from} → {to}")
    String change_line(int line, String item, String field, String from, String to);

    @Message("Line {line} added: {quantity} × {item}")
    String change_line_added(int line, String item, String quantity);

    @Message("Line {line} removed: {quantity} × {item}")
    String change_line_removed(int line, String item, String quantity);

    @Message("{field}: {from} → {to}")
    String change_order(String field, String from, String to);

    @Message("Revision {revision}")
    String revision(int revision);

    @Message("Revision")
    String pdf_revision();

    @Message("This order was changed: revision {revision}")
    String revision_banner_title(int revision);

    @Message("{organization} changed this order. Please check what changed and acknowledge it:")
    String revision_banner_intro(String organization);

    @Message("Acknowledge revision {revision}")
    String acknowledge_revision(int revision);

    @Message("Thank you: you acknowledged revision {revision}. The buyer has been told.")
    String saved_revision_ack(int revision);

    @Message("This form did not name a revision of this order, so nothing was acknowledged. The order is at revision"
            + " {revision}: please check it below and acknowledge it with the button.")
    String error_revision_invalid(int revision);

    @Message("This order was cancelled")
    String cancel_banner_title();

    @Message("{organization} cancelled this order. Please do not ship it.")
    String cancel_banner_intro(String organization);

    @Message("Acknowledge the cancellation")
    String acknowledge_cancel();

    @Message("Thank you: you acknowledged the cancellation. The buyer has been told.")
    String saved_cancel_ack();

    @Message("You acknowledged the cancellation.")
    String cancel_acknowledged();

    @Message("Purchase order {reference} changed: revision {revision}")
    String subject_changed(String reference, int revision);

    @Message("{organization} has changed purchase order {reference}; this is revision {revision}. Please check what"
            + " changed and acknowledge it through the link below.")
    String intro_changed(String organization, String reference, int revision);

    @Message("What changed")
    String what_changed();

    @Message("Purchase order {reference} cancelled")
    String subject_cancelled(String reference);

    @Message("{organization} has cancelled purchase order {reference}. Please do not ship it, and acknowledge the"
            + " cancellation through the link below.")
    String intro_cancelled(String organization, String reference);
}
