package dev.shipgate.easypost;

/**
 * EasyPost's answer to a call was lost or unreadable: the client returned {@code null}, the body broke
 * off, or it was not JSON the client could read. The call may well have taken effect at EasyPost (a
 * shipment created, a label paid), so callers must read the outcome back before repeating anything;
 * {@link EasyPostGateway#ambiguous(Throwable)} is true for it and clients see a 502.
 */
public final class AnswerLostException extends RuntimeException {

    private final String operation;

    AnswerLostException(String operation, String reason, Throwable cause) {
        super("EasyPost's answer to " + operation + " was lost: " + reason, cause);
        this.operation = operation;
    }

    /** The gateway's name for the call, e.g. "buy label". */
    public String operation() {
        return operation;
    }
}
