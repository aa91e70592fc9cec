// The shipment list: the API's filters (kept in the address: #/shipments?status=delivered), text search and
// keyset paging (Previous keeps the cursors seen);
// select many to buy them (the cheapest rate of each, after a confirmation showing the total) or to print
// their labels as one document.
import { html, useEffect, useState } from '../lib.js';
import { api, download, newIdempotencyKey } from '../api.js';
import { ConfirmDialog, dateTime, label, Loading, money, ProblemBox, STATUSES, StatusBadge } from '../ui.js';
import { batchDocument, openDocument } from '../printing.js';
import { carrierService } from '../names.js';
import { filtersFromHash, hashWith } from '../route.js';

/** Cents of a decimal amount string, so totals add up exactly. */
const cents = (amount) => Math.round(Number(amount) * 100);

const EMPTY = { status: '', carrier: '', created_from: '', created_to: '', q: '' };
/** The form's labels for the API's names, so a problem names the field the user sees. */
export const FILTER_LABELS = { q: 'Search', status: 'Status', carrier: 'Carrier', created_from: 'Created from', created_to: 'Created to',
  cursor: 'Page', limit: 'Page size' };
/** The pages seen for the filters in the address, so coming back to the list keeps the page. */
let remembered = { hash: null, cursors: [null] };

export function Shipments() {
  const [filters, setFilters] = useState(() => filtersFromHash(EMPTY));
  const [applied] = useState(filters);
  const [cursors, setCursors] = useState(() => (remembered.hash === location.hash ? remembered.cursors : [null]));
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [selected, setSelected] = useState(() => new Set());
  const [buying, setBuying] = useState(null); // { picks: [{ shipment, rate, key }], total }
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState(null);
  const [reloads, setReloads] = useState(0);
  const [downloading, setDownloading] = useState(false);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    remembered = { hash: location.hash, cursors };
    const params = new URLSearchParams({ limit: '25' });
    Object.entries(applied).forEach(([k, v]) => v && v.trim() && params.set(k, v.trim()));
    if (cursor) params.set('cursor', cursor);
    setError(null);
    api(`/shipments?${params}`).then(setPage, (e) => { setPage(null); setError(e); });
  }, [applied, cursor, reloads]);

  function toggle(id) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id); else next.add(id);
    setSelected(next);
  }
  const chosen = page ? page.shipments.filter((s) => selected.has(s.id)) : [];
  const unbought = chosen.filter((s) => !s.tracking_code);
  const printable = chosen.filter((s) => s.tracking_code);

  /** Reads each unbought selected shipment's rates and asks to confirm the cheapest of each, with the total. */
  async function askToBuy() {
    setBusy(true);
    setActionError(null);
    try {
      const shipments = await Promise.all(unbought.map((s) => api(`/shipments/${s.id}`)));
      const picks = shipments.filter((s) => s.rates.length > 0).map((s) => ({
        shipment: s, key: newIdempotencyKey(),
        rate: [...s.rates].sort((a, b) => Number(a.rate) - Number(b.rate))[0],
      }));
      const total = (picks.reduce((sum, p) => sum + cents(p.rate.rate), 0) / 100).toFixed(2);
      setBuying({ picks, total });
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  async function buyAll() {
    setBusy(true);
    try {
      for (const p of buying.picks) {
        await api(`/shipments/${p.shipment.id}/buy`, { method: 'POST', json: { rate_id: p.rate.id }, idempotencyKey: p.key });
      }
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
      setBuying(null);
      setSelected(new Set());
      setReloads(reloads + 1);
    }
  }

  async function printSelected() {
    setBusy(true);
    setActionError(null);
    try {
      await openDocument(batchDocument({ shipment_ids: printable.map((s) => s.id) }).then((b) => b.label_url));
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  /** Every shipment the applied filters match (not only this page), as the API's CSV export. */
  async function downloadCsv() {
    setDownloading(true);
    setActionError(null);
    const params = new URLSearchParams();
    Object.entries(applied).forEach(([k, v]) => v && v.trim() && params.set(k, v.trim()));
    try {
      await download(`/shipments/export.csv?${params}`, 'shipments.csv');
    } catch (e) {
      setActionError(e);
    } finally {
      setDownloading(false);
    }
  }

  const set = (name) => (e) => setFilters({ ...filters, [name]: e.currentTarget.value });
  // Applying writes the filters into the address; the router then shows the list for that address.
  function show(wanted) {
    const hash = hashWith('shipments', wanted);
    if (hash === location.hash) { setCursors([null]); setReloads(reloads + 1); } else location.hash = hash;
  }
  function search(e) {
    e.preventDefault();
    show(filters);
  }
  function reset() {
    setFilters(EMPTY);
    show(EMPTY);
  }

  return html`
    <h1>Shipments</h1>
    <search><form class="filters" onSubmit=${search} aria-label="Filter shipments">
      <div class="grid">
        <label class="wide">Search<input type="search" name="q" placeholder="Tracking code, reference or recipient" minlength="3" maxlength="100" value=${filters.q} onInput=${set('q')} /></label>
        <label>Status<select name="status" value=${filters.status} onChange=${set('status')}>
          <option value="">Any</option>${STATUSES.map((s) => html`<option value=${s}>${label(s)}</option>`)}</select></label>
        <label>Carrier<input name="carrier" maxlength="64" value=${filters.carrier} onInput=${set('carrier')} /></label>
        <label>Created from<input type="date" name="created_from" value=${filters.created_from} onInput=${set('created_from')} /></label>
        <label>Created to<input type="date" name="created_to" value=${filters.created_to} onInput=${set('created_to')} /></label>
      </div>
      <div class="actions"><button type="submit">Apply</button><button type="button" class="secondary outline" onClick=${reset}>Reset</button></div>
    </form></search>
    <${ProblemBox} error=${error} labels=${FILTER_LABELS} />
    <${ProblemBox} error=${actionError} />
    <div class="actions selection" aria-label="Selected shipments">
      <span data-testid="selected-count">${chosen.length} selected</span>
      <button data-testid="buy-selected" disabled=${busy || unbought.length === 0} onClick=${askToBuy}>Buy selected (${unbought.length})</button>
      <button data-testid="print-selected" class="secondary" disabled=${busy || printable.length === 0}
        aria-busy=${busy ? 'true' : 'false'} onClick=${printSelected}>Print selected (${printable.length})</button>
      <button data-testid="download-shipments" class="secondary outline" disabled=${downloading}
        aria-busy=${downloading ? 'true' : 'false'} onClick=${downloadCsv}
        title="Every shipment matching the applied filters, not only this page">Download CSV</button>
    </div>
    ${!page && !error ? html`<${Loading} what="Loading shipments" />` : ''}
    ${page ? html`
      <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Shipments">
        <thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Created</th><th scope="col">Reference</th><th scope="col">Recipient</th><th scope="col">Carrier / service</th>
          <th scope="col">Tracking</th><th scope="col">Status</th><th scope="col" class="num">Rate</th></tr></thead>
        <tbody>
          ${page.shipments.length === 0 ? html`<tr><td colspan="8">No shipment matches these filters.</td></tr>` : ''}
          ${page.shipments.map((s) => html`<tr>
            <td><input type="checkbox" data-testid="select-shipment" data-id=${s.id} checked=${selected.has(s.id)}
              onChange=${() => toggle(s.id)} aria-label=${`Select ${s.reference ?? s.id}`} /></td>
            <td><a href=${`#/shipments/${s.id}`}>${dateTime(s.created_at)}</a></td>
            <td>${s.reference ?? '—'}</td><td>${s.recipient_name ?? '—'}</td>
            <td>${s.carrier ? carrierService(s.carrier, s.service) : html`<span class="muted">Label not bought</span>`}</td>
            <td>${s.tracking_code ? html`<code>${s.tracking_code}</code>` : '—'}</td>
            <td><${StatusBadge} status=${s.status} bought=${Boolean(s.tracking_code)} />${s.refund_status ? html` <small>refund ${label(s.refund_status)}</small>` : ''}</td>
            <td class="num">${money(s.rate)}</td></tr>`)}
        </tbody>
      </table></div>
      <nav class="pager" aria-label="Pages">
        <button class="secondary" disabled=${cursors.length < 2} onClick=${() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <span>Page ${cursors.length}</span>
        <button class="secondary" disabled=${!page.has_more} onClick=${() => setCursors([...cursors, page.next_cursor])}>Next</button>
      </nav>` : ''}
    <${ConfirmDialog} id="confirm-buy-selected" open=${Boolean(buying)} busy=${busy} title="Buy these labels?"
      confirmLabel=${buying ? `Buy ${buying.picks.length} for ${money(buying.total)}` : 'Buy'}
      onCancel=${() => setBuying(null)} onConfirm=${buyAll}>
      ${buying ? html`<p>This spends money: <strong data-testid="buy-selected-total">${money(buying.total)}</strong> in total for ${buying.picks.length} labels,
          the cheapest rate of each.</p>
        <ul>${buying.picks.map((p) => html`<li>${p.shipment.reference ?? p.shipment.id}: ${carrierService(p.rate.carrier, p.rate.service)} ${money(p.rate.rate)}</li>`)}</ul>` : ''}
    <//>`;
}
