package dev.shipgate.tracking;

import java.time.OffsetDateTime;

/**
 * One step of a parcel's journey as EasyPost reports it, in a tracker's answer or a webhook event: the
 * same fields in both, so one type. {@code datetime} is when the carrier saw it, null when not given.
 */
record TrackingDetail(String status, String message, OffsetDateTime datetime, String city, String state, String zip,
                      String country) {
}
