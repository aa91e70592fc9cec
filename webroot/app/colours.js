// The one colour mapping of the dashboard: each carrier and each shipment status has one colour, the same
// on every page, in badges, charts and legends. Badge colours carry white text, so each is dark enough for
// WCAG AA contrast (4.5:1) against white; no two statuses share a colour.
const STATUS_COLOURS = {
  unknown: '#6b7280',
  pre_transit: '#6d28d9',
  in_transit: '#1d4ed8',
  out_for_delivery: '#0e7490',
  delivered: '#047857',
  available_for_pickup: '#4d7c0f',
  return_to_sender: '#c2410c',
  failure: '#b91c1c',
  cancelled: '#334155',
  error: '#86198f',
};

const CARRIER_COLOURS = {
  USPS: '#2563eb',
  UPS: '#92400e',
  FedEx: '#7c3aed',
  DHLExpress: '#d97706',
  CanadaPost: '#dc2626',
  OnTrac: '#059669',
  LaserShip: '#0891b2',
  Amazon: '#0f766e',
};
/** Colours for carriers not named above, picked by a hash of the name so a carrier keeps its colour. */
const SPARE = ['#db2777', '#65a30d', '#475569', '#a16207', '#4338ca', '#be123c'];

/** The status's colour (a wire name such as `in_transit`); an unknown name gets the colour of `unknown`. */
export function statusColour(status) {
  return STATUS_COLOURS[status] ?? STATUS_COLOURS.unknown;
}

/** The carrier's colour (EasyPost's carrier name, `USPS`, `FedEx`, `DHLExpress`, ...), stable across pages. */
export function carrierColour(carrier) {
  if (CARRIER_COLOURS[carrier]) return CARRIER_COLOURS[carrier];
  let hash = 0;
  for (const ch of String(carrier)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return SPARE[hash % SPARE.length];
}

/** Colours of the outcomes of bulk items and similar counts. */
export const OUTCOME_COLOURS = { succeeded: STATUS_COLOURS.delivered, failed: STATUS_COLOURS.failure, cancelled: STATUS_COLOURS.cancelled };

/** The states of other records, each state its own colour within its kind (bulk items, approvals). */
const STATE_COLOURS = {
  item: { pending: '#6b7280', running: '#1d4ed8', ...OUTCOME_COLOURS },
  approval: { pending: '#a16207', approved: '#047857', rejected: '#334155', failed: '#b91c1c' },
  job: { running: '#1d4ed8', completed: OUTCOME_COLOURS.succeeded, cancelled: OUTCOME_COLOURS.cancelled },
};

/** The colour of `state` for records of `kind` (`item`, `approval`); grey for a state not listed. */
export function stateColour(kind, state) {
  return STATE_COLOURS[kind]?.[state] ?? '#6b7280';
}
