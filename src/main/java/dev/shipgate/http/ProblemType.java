package dev.shipgate.http;

/**
 * Every kind of problem the API answers with (RFC 9457 {@code type}, {@code title}, {@code status}),
 * named once. Code decides on the type ({@code problem.kind() == ProblemType.ALREADY_BOUGHT}), never on
 * the title or detail text. The {@code type} URI is the title in lower case with dashes, so URIs that
 * clients match stay as they were.
 */
public enum ProblemType {

    /** The request is malformed: a parameter, header or body the API cannot read. */
    BAD_REQUEST(400, "Bad request"),

    /** The body is not valid JSON. */
    MALFORMED_JSON(400, "Malformed JSON"),

    /** A client error answered by the web layer, with its own 4xx status. */
    REQUEST_FAILED(400, "Request failed"),

    /** No valid bearer token (RFC 6750). */
    UNAUTHORIZED(401, "Unauthorized"),

    /** EasyPost refused for lack of funds on the account. */
    PAYMENT_REQUIRED(402, "Payment required"),

    /** The caller may not do this. */
    FORBIDDEN(403, "Forbidden"),

    /** The token lacks the scope this call needs; {@code missing_scope} names it. */
    MISSING_SCOPE(403, "Missing scope"),

    /**
     * The label costs more than the token's {@code max_label_cost}; {@code label_cost} and {@code limit}
     * (USD decimal strings) give the numbers.
     */
    LABEL_COST_LIMIT(403, "Label cost limit"),

    /**
     * The label would take the token's spend for the business's day past its {@code daily_spend};
     * {@code label_cost}, {@code limit} and {@code spent_today} (USD decimal strings) give the numbers.
     */
    DAILY_SPEND_LIMIT(403, "Daily spend limit"),

    /** The label costs more than the token's {@code approval_above} and cannot wait for an approval here (bulk). */
    APPROVAL_REQUIRED(403, "Approval required"),

    /** The token that would pay was revoked. */
    TOKEN_REVOKED(403, "Token revoked"),

    /** No such resource. */
    NOT_FOUND(404, "Not found"),

    /** The resource exists but not with this method. */
    METHOD_NOT_ALLOWED(405, "Method not allowed"),

    /** The request was not received whole in time. */
    REQUEST_TIMEOUT(408, "Request timeout"),

    /** The shipment has a label already; the problem carries its {@code label_url} and {@code tracking_code}. */
    ALREADY_BOUGHT(409, "Already bought"),

    /**
     * The shipment is on a scan form already (a shipment is manifested once); the problem carries its
     * {@code shipment_id} and {@code scan_form_id}.
     */
    ALREADY_ON_SCAN_FORM(409, "Already on a scan form"),

    /** A request with this Idempotency-Key did not finish; retry. */
    CONFLICT(409, "Conflict"),

    /**
     * The shipment is not in the exceptions queue (delivered, refunded, not bought, or nothing wrong yet), so
     * there is nothing to acknowledge; the problem carries its {@code shipment_id}.
     */
    NOT_AN_EXCEPTION(409, "Not an exception"),

    /**
     * The exceptions queue entry is acknowledged and has not re-opened since (no new reason, no newer exception
     * event): a second acknowledgement would hide the first; the problem carries {@code acknowledged_by} and
     * {@code acknowledged_at} (UTC).
     */
    ALREADY_ACKNOWLEDGED(409, "Already acknowledged"),

    /** The approval was decided already (rejected or failed) and cannot be decided again. */
    APPROVAL_DECIDED(409, "Approval decided"),

    /**
     * EasyPost has no such shipment or pickup in this account (it answered 404 when it was read back or
     * bought), so nothing can have been bought on it: the purchase is settled as not bought and a label's
     * reserved spend given back. The problem carries {@code easypost_id}; create it again to buy.
     */
    UNKNOWN_AT_EASYPOST(409, "Unknown at EasyPost"),

    /**
     * The bulk job is still running, so what it has bought is not all it will buy (a label batch of it
     * would leave labels out), or it has no failed item yet to retry; the problem carries {@code job_state}, {@code finished} and {@code total},
     * and {@code retry_after}.
     */
    JOB_RUNNING(409, "Job running"),

    /** The bulk job has ended and cannot change. */
    JOB_FINISHED(409, "Job finished"),

    /** The bulk job was cancelled: its items are not tried again; start a new job. */
    JOB_CANCELLED(409, "Job cancelled"),

    /** The bulk job has ended without a failed item, so a retry has nothing to do. */
    NOTHING_TO_RETRY(409, "Nothing to retry"),

    /** The shipment has no label to refund. */
    NO_LABEL(409, "No label"),

    /**
     * The shipment's label was refunded, or its refund is submitted: it is void and will not ship, so it
     * is not insured, printed, put on a scan form or a pickup, or returned. The problem carries
     * {@code shipment_ids} and names each in {@code invalid_params}.
     */
    LABEL_REFUNDED(409, "Label refunded"),

    /**
     * The carrier has scanned the label (the shipment's tracking status is past {@code pre_transit}): EasyPost
     * refunds only unused labels, so the refund is refused before EasyPost is asked. Carries {@code shipment_status}.
     */
    LABEL_SCANNED(409, "Label scanned"),

    /** The pickup is scheduled (bought) or cancelled already; the problem carries its {@code status}. */
    PICKUP_NOT_OPEN(409, "Pickup not open"),

    /** Another request is buying this shipment's label right now; retry shortly. */
    PURCHASE_IN_PROGRESS(409, "Purchase in progress"),

    /**
     * Another request is refunding this shipment's label right now (or one interrupted by a restart holds its
     * claim until the purchase lease time passes); carries {@code shipment_id} and a {@code Retry-After}.
     */
    REFUND_IN_PROGRESS(409, "Refund in progress"),

    /**
     * Another request is insuring this shipment right now (or an interrupted one holds its claim until the
     * purchase lease time passes); carries {@code shipment_id} and a {@code Retry-After}.
     */
    INSURANCE_IN_PROGRESS(409, "Insurance in progress"),

    /**
     * Another request is cancelling this pickup right now (or an interrupted one holds its claim until the
     * purchase lease time passes); carries {@code pickup_id} and a {@code Retry-After}.
     */
    CANCEL_IN_PROGRESS(409, "Cancel in progress"),

    /**
     * Another request is creating this shipment's return right now (or an interrupted one holds its claim until
     * the purchase lease time passes); carries {@code shipment_id} and a {@code Retry-After}.
     */
    RETURN_IN_PROGRESS(409, "Return in progress"),

    /** The first request with this Idempotency-Key is still running. */
    REQUEST_IN_PROGRESS(409, "Request in progress"),

    /** The body is over the size limit. */
    PAYLOAD_TOO_LARGE(413, "Payload too large"),

    /** The request line is over the limit. */
    URI_TOO_LONG(414, "URI too long"),

    /** The body's media type is not one this endpoint reads. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),

    /** The Idempotency-Key was used with another request. */
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),

    /** EasyPost refused the request; the problem carries EasyPost's code, message and field errors. */
    REJECTED_BY_EASYPOST(422, "Rejected by EasyPost"),

    /** A carrier restriction names a carrier not connected to the EasyPost account; lists the connected ones. */
    CARRIER_NOT_CONNECTED(422, "Carrier not connected"),

    /**
     * A service restriction names a service none of the carriers in question sells (by
     * {@code carriers.ServiceCatalog}); lists the valid ones in {@code valid_services}.
     */
    UNKNOWN_SERVICE(422, "Unknown service"),

    /** A return was asked of a shipment that has no label: there is nothing to return yet. */
    NOT_BOUGHT_YET(409, "Not bought yet"),

    /** The body reads but breaks a rule (a limit, a required field); {@code invalid_params} names each field. */
    VALIDATION_FAILED(422, "Validation failed"),

    /**
     * As many CSV exports as the service runs at once are running (each holds a database connection for
     * its whole length); retry after {@code Retry-After} seconds.
     */
    TOO_MANY_EXPORTS(429, "Too many exports"),

    /** The headers are over the limit. */
    REQUEST_HEADER_FIELDS_TOO_LARGE(431, "Request header fields too large"),

    /** A fault of the service; logged with its stack trace. */
    INTERNAL_ERROR(500, "Internal error"),

    /** A server-side failure answered by the web layer, with its own 5xx status. */
    SERVER_ERROR(500, "Server error"),

    /** EasyPost's answer was lost or unreadable: the call may have taken effect and is reconciled. */
    EASYPOST_ANSWER_LOST(502, "EasyPost answer lost"),

    /** EasyPost answered with an unexpected error. */
    EASYPOST_ERROR(502, "EasyPost error"),

    /** EasyPost could not be reached (502), or did not answer in time (504). */
    EASYPOST_UNREACHABLE(502, "EasyPost unreachable"),

    /** Too many EasyPost calls are waiting; retry shortly. */
    EASYPOST_BUSY(503, "EasyPost busy"),

    /** EasyPost is rate limiting the account; retry shortly. */
    EASYPOST_RATE_LIMIT(503, "EasyPost rate limit"),

    /** EasyPost is down or the breaker is open; retry after the given seconds. */
    EASYPOST_UNAVAILABLE(503, "EasyPost unavailable"),

    /** EasyPost sold the label but it could not be recorded yet; a retry returns it. */
    LABEL_NOT_RECORDED_YET(503, "Label not recorded yet"),

    /** The database is unavailable or busy; retry after the given seconds. */
    SERVICE_UNAVAILABLE(503, "Service unavailable"),

    /** EasyPost created the shipment but it could not be stored yet; a retry with the same key returns it. */
    SHIPMENT_NOT_STORED_YET(503, "Shipment not stored yet"),

    /** EasyPost did not answer in time. */
    EASYPOST_TIMEOUT(504, "EasyPost timeout");

    private static final String TYPE_BASE = "https://shipgate.dev/problems/";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The HTTP status this problem is answered with unless a call site says otherwise. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem's {@code type} URI. */
    public String uri() {
        return TYPE_BASE + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }
}
