// The exceptions queue: shipments that need a person, with why, since when, and who took them on.
// Acknowledging asks for an optional note; an acknowledged entry comes back by itself on a new exception event.
// The filters live in the address (#/exceptions?reason=failure&include_acknowledged=true), as the shipments
// list's do, so a reload or a shared link shows the same queue; so does the page (cursor=...), so a reload
// after Next stays on that page. What the address says is what is asked of the API: an unknown reason is its
// refusal on screen, not a silently unfiltered queue. The action is the table's first column, so it is on
// screen without scrolling sideways on a laptop or a phone.
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { filtersFromHash, hashWith } from '../route.js';
import { ConfirmDialog, dateTime, label, Loading, number, ProblemBox } from '../ui.js';
import { carrierName, serviceName } from '../names.js';

export const REASONS = ['failure', 'return_to_sender', 'error', 'cancelled_after_pickup', 'no_movement',
  'past_estimated_delivery', 'never_scanned'];

/** How long ago an instant was, in days or hours ("3 d", "5 h"). */
export function age(since, now = Date.now()) {
  const hours = Math.max(0, (now - new Date(since).getTime()) / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)} d` : `${Math.floor(hours)} h`;
}

/** The form's labels for the API's names, so its refusal names what the user sees. */
const LABELS = { reason: 'Reason', include_acknowledged: 'Show acknowledged', cursor: 'Page' };

/**
 * The queue's filters and page as the address gives them, passed to the API as written: a reason or flag it
 * does not know comes back as its refusal.
 */
export function exceptionFilters() {
  const wanted = filtersFromHash({ reason: '', include_acknowledged: '', cursor: '' });
  return { reason: wanted.reason.trim(), acknowledgedParam: wanted.include_acknowledged.trim(),
    withAcknowledged: wanted.include_acknowledged === 'true', cursor: wanted.cursor || null };
}

// The cursors of the pages before the one in the address, kept for this tab (a reload too) so Previous and the
// page number still work; a shared link to a later page starts a new trail at it.
const TRAIL = 'shipgate.exceptions.trail';

function trailTo(cursor) {
  if (!cursor) return [null];
  try {
    const kept = JSON.parse(sessionStorage.getItem(TRAIL) || '[]');
    if (Array.isArray(kept) && kept[kept.length - 1] === cursor) return kept;
  } catch (e) { /* an unreadable trail is a new one */ }
  return [null, cursor];
}

export function Exceptions() {
  const [{ reason, acknowledgedParam, withAcknowledged, cursor }] = useState(exceptionFilters);
  const [cursors] = useState(() => trailTo(cursor));
  const [page, setPage] = useState(null);
  const [summary, setSummary] = useState(null);
  const [error, setError] = useState(null);
  const [acknowledging, setAcknowledging] = useState(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const params = new URLSearchParams({ limit: '25' });
    if (reason) params.set('reason', reason);
    if (acknowledgedParam) params.set('include_acknowledged', acknowledgedParam);
    if (cursor) params.set('cursor', cursor);
    setError(null);
    api(`/exceptions?${params}`).then(setPage, (e) => { setPage(null); setError(e); });
    api('/exceptions/summary').then(setSummary, setError);
  }, [reason, withAcknowledged, cursor, reloads]);

  // A new filter is a new address: the page is drawn again from it (main.js keys pages by the hash).
  const refilter = (changed) => {
    const next = { reason, include_acknowledged: withAcknowledged ? 'true' : '', ...changed };
    location.hash = hashWith('exceptions', next);
  };
  // Another page is another address too, with the trail that leads back to the first.
  const turn = (trail) => {
    try { sessionStorage.setItem(TRAIL, JSON.stringify(trail)); } catch (e) { /* without storage, Previous starts over */ }
    location.hash = hashWith('exceptions', { reason, include_acknowledged: acknowledgedParam, cursor: trail[trail.length - 1] });
  };

  async function acknowledge() {
    setBusy(true);
    setError(null);
    try {
      await api(`/exceptions/${acknowledging.shipment_id}/acknowledge`, { method: 'POST', json: note.trim() ? { note: note.trim() } : {} });
      setAcknowledging(null);
      setReloads(reloads + 1);
    } catch (err) {
      setError(err);
      setAcknowledging(null);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <h1>Exceptions</h1>
    ${summary ? html`<p data-testid="exceptions-summary"><strong>${number(summary.open)}</strong> waiting for someone, ${number(summary.acknowledged)} acknowledged.${' '}
      <small>No movement means ${summary.stall_days} days without a scan; never scanned means ${summary.unscanned_days} days after purchase.</small></p>` : ''}
    <div class="grid">
      <label>Reason
        <select id="exception-reason" value=${REASONS.includes(reason) ? reason : ''} onChange=${(e) => refilter({ reason: e.currentTarget.value })}>
          <option value="">all reasons</option>
          ${REASONS.map((r) => html`<option value=${r}>${label(r)}${summary?.by_reason?.[r] ? ` (${summary.by_reason[r].open})` : ''}</option>`)}
        </select>
      </label>
      <label>
        <input type="checkbox" id="include-acknowledged" checked=${withAcknowledged}
          onChange=${(e) => refilter({ include_acknowledged: e.currentTarget.checked ? 'true' : '' })} />
        Show acknowledged ones too
      </label>
    </div>
    <${ProblemBox} error=${error} labels=${LABELS} />
    ${!page ? (error ? '' : html`<${Loading} what="Loading exceptions" />`) : page.exceptions.length === 0
      ? html`<p>Nothing needs anyone right now.</p>`
      : html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Exceptions">
        <thead><tr><th scope="col">Acknowledged</th><th scope="col">Reason</th><th scope="col">Age</th><th scope="col">Carrier</th>
          <th scope="col">Tracking code</th><th scope="col">Shipment</th></tr></thead>
        <tbody>${page.exceptions.map((x) => html`<tr data-exception=${x.shipment_id}>
          <td data-testid="exception-acknowledged">${x.acknowledged
            ? html`${x.acknowledgement.by}, ${dateTime(x.acknowledgement.at)}${x.acknowledgement.note ? html`<br /><small>${x.acknowledgement.note}</small>` : ''}`
            : html`<button class="compact" onClick=${() => { setNote(''); setAcknowledging(x); }}
                aria-label=${`Acknowledge ${x.tracking_code ?? x.shipment_id}`}>Acknowledge</button>${x.acknowledgement
                ? html`<br /><small>back after ${x.acknowledgement.by}'s acknowledgement</small>` : ''}`}</td>
          <td>${x.reasons.map((r) => html`<span class="badge badge-bad">${label(r)}</span> `)}</td>
          <td title=${dateTime(x.since)} class="nowrap">${age(x.since)}</td>
          <td>${x.carrier ? carrierName(x.carrier) : '—'} <small>${x.carrier && x.service ? serviceName(x.carrier, x.service) : ''}</small></td>
          <td>${x.tracking_code ? html`<code>${x.tracking_code}</code>` : '—'}</td>
          <td><a href=${`#/shipments/${x.shipment_id}`}>${x.reference ?? x.shipment_id.slice(0, 8)}</a></td>
        </tr>`)}</tbody>
      </table></div>
      <div class="actions">
        <button class="secondary" disabled=${cursors.length < 2} onClick=${() => turn(cursors.slice(0, -1))}>Previous</button>
        <span data-testid="exceptions-page">Page ${cursors.length}</span>
        <button class="secondary" disabled=${!page.has_more} onClick=${() => turn([...cursors, page.next_cursor])}>Next</button>
      </div>`}
    <${ConfirmDialog} id="acknowledge-exception" open=${Boolean(acknowledging)} busy=${busy} onConfirm=${acknowledge}
      onCancel=${() => setAcknowledging(null)} title="Acknowledge this exception?" confirmLabel="Acknowledge">
      ${acknowledging ? html`<p>${acknowledging.reasons.map(label).join(', ')} on ${acknowledging.carrier ? carrierName(acknowledging.carrier) : ''}
        <code>${acknowledging.tracking_code ?? acknowledging.shipment_id}</code>. It leaves the queue until something new happens to it.</p>
        <label>Note (optional)
          <textarea id="exception-note" maxlength="1000" value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
        </label>` : ''}
    </${ConfirmDialog}>`;
}
