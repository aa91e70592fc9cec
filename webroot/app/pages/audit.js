// The audit trail: who spent or changed what, through which client, filterable (the filters kept in the
// address: #/audit?operation=buy_label) and paged.
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { dateTime, Loading, money, ProblemBox } from '../ui.js';
import { filtersFromHash, hashWith } from '../route.js';

const LABELS = { from: 'From', to: 'To', token: 'Token', operation: 'Operation', cursor: 'Page' };

const OPERATIONS = ['create_shipment', 'buy_label', 'request_approval', 'refund_label', 'create_tracker', 'create_bulk_job',
  'cancel_bulk_job', 'create_scan_form', 'create_pickup', 'buy_pickup', 'cancel_pickup', 'create_token', 'revoke_token',
  'update_token', 'approve_purchase', 'reject_purchase'];

function query(filters, cursor) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v && v.trim()) params.set(k, v.trim());
  if (cursor) params.set('cursor', cursor);
  return `/audit?${params}`;
}

export function Audit() {
  const [form, setForm] = useState(() => filtersFromHash({ from: '', to: '', token: '', operation: '' }));
  const [filters, setFilters] = useState(form);
  function apply(e) {
    e.preventDefault();
    const hash = hashWith('audit', form);
    if (hash === location.hash) setFilters({ ...form }); else location.hash = hash;
  }
  const [entries, setEntries] = useState(null);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setEntries(null);
    api(query(filters)).then((r) => { setEntries(r.entries); setNext(r.next_cursor); setError(null); }, setError);
  }, [filters]);
  const more = () => api(query(filters, next)).then((r) => { setEntries([...entries, ...r.entries]); setNext(r.next_cursor); }, setError);
  const set = (field) => (e) => setForm({ ...form, [field]: e.currentTarget.value });
  const subject = (e) => (e.shipment_id ? html`<a href=${`#/shipments/${e.shipment_id}`}>shipment ${e.shipment_id.slice(0, 8)}</a>`
    : e.job_id ? html`<a href=${`#/bulk/${e.job_id}`}>job ${e.job_id.slice(0, 8)}</a>`
      : e.target_token_id ? `token ${e.target_token_id.slice(0, 8)}` : e.approval_id ? `approval ${e.approval_id.slice(0, 8)}` : '—');
  return html`
    <h1>Audit trail</h1>
    <search><form class="filters" onSubmit=${apply} aria-label="Filter the audit trail"><div class="grid">
      <label>From <input type="date" id="audit-from" value=${form.from} onInput=${set('from')} /></label>
      <label>To <input type="date" id="audit-to" value=${form.to} onInput=${set('to')} /></label>
      <label>Token (name or id) <input id="audit-token" value=${form.token} onInput=${set('token')} /></label>
      <label>Operation
        <select id="audit-operation" value=${form.operation} onChange=${set('operation')}>
          <option value="">any</option>${OPERATIONS.map((o) => html`<option value=${o}>${o.replaceAll('_', ' ')}</option>`)}
        </select>
      </label>
      </div>
      <div class="actions"><button type="submit">Apply</button></div>
    </form></search>
    <${ProblemBox} error=${error} labels=${LABELS} />
    ${!entries ? html`<${Loading} what="Loading the audit trail" />` : html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Audit trail">
      <thead><tr><th scope="col">Time</th><th scope="col">Token</th><th scope="col">Client</th><th scope="col">Operation</th>
        <th scope="col">On</th><th scope="col" class="num">Amount</th><th scope="col">Outcome</th><th scope="col">Request</th></tr></thead>
      <tbody>${entries.map((e) => html`<tr>
        <td>${dateTime(e.at)}</td><td>${e.token_name}</td><td>${e.client ?? '—'}</td><td>${e.operation.replaceAll('_', ' ')}</td>
        <td>${subject(e)}</td><td class="num">${e.amount == null ? '—' : money(e.amount)}</td>
        <td>${e.status == null ? 'under way' : e.status}${e.problem_type ? html` <small>${e.problem_type.split('/').pop()}</small>` : ''}</td>
        <td><small>${e.request_id ?? ''}</small></td>
      </tr>`)}</tbody>
    </table></div>
    ${entries.length === 0 ? html`<p>Nothing recorded for these filters.</p>` : ''}
    ${next ? html`<button class="outline" onClick=${more}>Load more</button>` : ''}`}`;
}
