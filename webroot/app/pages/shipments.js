// The shipment list: the API's filters, text search and keyset paging (Previous keeps the cursors seen).
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { dateTime, label, Loading, money, ProblemBox, STATUSES, StatusBadge } from '../ui.js';

let remembered = { filters: { status: '', carrier: '', created_from: '', created_to: '', q: '' }, cursors: [null] };

export function Shipments() {
  const [filters, setFilters] = useState(remembered.filters);
  const [applied, setApplied] = useState(remembered.filters);
  const [cursors, setCursors] = useState(remembered.cursors);
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    remembered = { filters: applied, cursors };
    const params = new URLSearchParams({ limit: '25' });
    Object.entries(applied).forEach(([k, v]) => v && params.set(k, v.trim()));
    if (cursor) params.set('cursor', cursor);
    setError(null);
    api(`/shipments?${params}`).then(setPage, (e) => { setPage(null); setError(e); });
  }, [applied, cursor]);

  const set = (name) => (e) => setFilters({ ...filters, [name]: e.currentTarget.value });
  function search(e) {
    e.preventDefault();
    setApplied({ ...filters });
    setCursors([null]);
  }
  function reset() {
    const empty = { status: '', carrier: '', created_from: '', created_to: '', q: '' };
    setFilters(empty);
    setApplied(empty);
    setCursors([null]);
  }

  return html`
    <h1>Shipments</h1>
    <form class="filters" onSubmit=${search} role="search" aria-label="Filter shipments">
      <div class="grid">
        <label>Search<input type="search" name="q" placeholder="Tracking code, reference or recipient" minlength="3" maxlength="100" value=${filters.q} onInput=${set('q')} /></label>
        <label>Status<select name="status" value=${filters.status} onChange=${set('status')}>
          <option value="">Any</option>${STATUSES.map((s) => html`<option value=${s}>${label(s)}</option>`)}</select></label>
        <label>Carrier<input name="carrier" maxlength="64" value=${filters.carrier} onInput=${set('carrier')} /></label>
        <label>Created from<input type="date" name="created_from" value=${filters.created_from} onInput=${set('created_from')} /></label>
        <label>Created to<input type="date" name="created_to" value=${filters.created_to} onInput=${set('created_to')} /></label>
      </div>
      <div class="actions"><button type="submit">Apply</button><button type="button" class="secondary outline" onClick=${reset}>Reset</button></div>
    </form>
    <${ProblemBox} error=${error} />
    ${!page && !error ? html`<${Loading} what="Loading shipments" />` : ''}
    ${page ? html`
      <div class="overflow-auto"><table class="striped" aria-label="Shipments">
        <thead><tr><th scope="col">Created</th><th scope="col">Reference</th><th scope="col">Recipient</th><th scope="col">Carrier / service</th>
          <th scope="col">Tracking</th><th scope="col">Status</th><th scope="col" class="num">Rate</th></tr></thead>
        <tbody>
          ${page.shipments.length === 0 ? html`<tr><td colspan="7">No shipment matches these filters.</td></tr>` : ''}
          ${page.shipments.map((s) => html`<tr>
            <td><a href=${`#/shipments/${s.id}`}>${dateTime(s.created_at)}</a></td>
            <td>${s.reference ?? '—'}</td><td>${s.recipient_name ?? '—'}</td>
            <td>${s.carrier ? `${s.carrier} ${s.service ?? ''}` : '—'}</td>
            <td>${s.tracking_code ? html`<code>${s.tracking_code}</code>` : '—'}</td>
            <td><${StatusBadge} status=${s.status} />${s.refund_status ? html` <small>refund ${s.refund_status}</small>` : ''}</td>
            <td class="num">${money(s.rate)}</td></tr>`)}
        </tbody>
      </table></div>
      <nav class="pager" aria-label="Pages">
        <button class="secondary" disabled=${cursors.length < 2} onClick=${() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <span>Page ${cursors.length}</span>
        <button class="secondary" disabled=${!page.has_more} onClick=${() => setCursors([...cursors, page.next_cursor])}>Next</button>
      </nav>` : ''}`;
}
