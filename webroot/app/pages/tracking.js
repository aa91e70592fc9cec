// Many tracking codes at once: each one's status and latest event.
import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { dateTime, ProblemBox, StatusBadge } from '../ui.js';

const MAX_CODES = 1000;

export function Tracking() {
  const [text, setText] = useState('');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const codes = [...new Set(text.split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean))];

  async function track(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api('/shipments/batch-track', { method: 'POST', json: { tracking_codes: codes } }));
    } catch (err) {
      setError(err);
      setResult(null);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <h1>Tracking</h1>
    <form onSubmit=${track}>
      <label>Tracking codes <small>(one per line, or separated by commas; up to ${MAX_CODES.toLocaleString()})</small>
        <textarea id="tracking-codes" rows="6" value=${text} onInput=${(e) => setText(e.currentTarget.value)}
          aria-invalid=${codes.length > MAX_CODES ? 'true' : undefined}></textarea>
      </label>
      ${codes.length > MAX_CODES ? html`<small class="field-error">${codes.length} codes: at most ${MAX_CODES} at once.</small>` : ''}
      <button type="submit" disabled=${busy || codes.length === 0 || codes.length > MAX_CODES} aria-busy=${busy ? 'true' : 'false'}>
        Track ${codes.length || ''} ${codes.length === 1 ? 'code' : 'codes'}</button>
    </form>
    <${ProblemBox} error=${error} />
    ${result ? html`
      <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Tracking results">
        <thead><tr><th scope="col">Tracking code</th><th scope="col">Status</th><th scope="col">Latest event</th><th scope="col">When</th><th scope="col">Where</th></tr></thead>
        <tbody>${result.results.map((r) => html`<tr>
          <td><a href=${`#/shipments/${r.shipment_id}`}><code>${r.tracking_code}</code></a></td>
          <td><${StatusBadge} status=${r.status} /></td>
          <td>${r.latest_event?.description ?? '—'}</td>
          <td>${r.latest_event ? dateTime(r.latest_event.datetime) : '—'}</td>
          <td>${r.latest_event ? [r.latest_event.city, r.latest_event.state, r.latest_event.country].filter(Boolean).join(', ') || '—' : '—'}</td>
        </tr>`)}</tbody>
      </table></div>
      ${result.not_found.length ? html`<p role="status">Not found (${result.not_found.length}): ${result.not_found.map((c) => html`<code>${c}</code> `)}</p>` : ''}` : ''}`;
}
