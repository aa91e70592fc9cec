// Outbound webhooks: endpoints that receive Shipgate's events, the signing secret shown once, enable/disable,
// and each endpoint's delivery log (every attempt's time, answer or error, duration) with replay.
import { html, useEffect, useState } from '../lib.js';
import { api, newIdempotencyKey } from '../api.js';
import { ConfirmDialog, dateTime, Field, Loading, ProblemBox } from '../ui.js';

const EVENTS = ['shipment.created', 'label.purchased', 'tracking.updated', 'shipment.exception', 'job.completed'];

function NewEndpoint({ onCreated }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState(['*']);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState(null);
  const toggle = (event, on) => {
    const rest = events.filter((e) => e !== event && e !== '*');
    setEvents(event === '*' ? (on ? ['*'] : []) : on ? [...rest, event] : rest);
  };
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const endpoint = await api('/webhook-endpoints', {
        method: 'POST', idempotencyKey: newIdempotencyKey(),
        json: { url: url.trim(), events, description: description.trim() || null },
      });
      setCreated(endpoint);
      setUrl('');
      setDescription('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<article>
    <header><strong>New webhook endpoint</strong></header>
    <form onSubmit=${submit}>
      <${Field} name="url" label="URL (https, a public address)" value=${url} onInput=${setUrl} error=${error} required
        placeholder="https://example.com/shipgate-events" />
      <${Field} name="description" label="Description" value=${description} onInput=${setDescription} error=${error} />
      <fieldset>
        <legend>Events</legend>
        <label><input type="checkbox" name="event-all" checked=${events.includes('*')}
          onChange=${(e) => toggle('*', e.currentTarget.checked)} /> all events (*)</label>
        ${EVENTS.map((event) => html`<label>
          <input type="checkbox" name=${`event-${event}`} checked=${events.includes(event)} disabled=${events.includes('*')}
            onChange=${(e) => toggle(event, e.currentTarget.checked)} /> ${event}
        </label>`)}
      </fieldset>
      <${ProblemBox} error=${error} />
      <button type="submit" aria-busy=${busy ? 'true' : 'false'} disabled=${busy}>Add endpoint</button>
    </form>
    ${created ? html`<div role="status">
      <p><strong>Signing secret for ${created.url}:</strong> copy it now, it is shown only once.</p>
      <pre class="secret"><code data-testid="new-webhook-secret">${created.secret}</code></pre>
    </div>` : ''}
  </article>`;
}

function attemptText(a) {
  return a.status_code != null ? `HTTP ${a.status_code}` : a.error;
}

function Deliveries({ endpoint }) {
  const [deliveries, setDeliveries] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api(`/webhook-endpoints/${endpoint.id}/deliveries`)
    .then((r) => { setDeliveries(r.deliveries); setError(null); }, setError);
  // Reloaded whenever the endpoint list is (a test sent, enabled again, rotated), so the open log follows the action.
  useEffect(() => { load(); }, [endpoint]);
  async function replay(d) {
    try {
      await api(`/webhook-endpoints/${endpoint.id}/deliveries/${d.id}/replay`, { method: 'POST', json: {} });
      await load();
    } catch (err) {
      setError(err);
    }
  }
  return html`<section aria-label=${`Deliveries to ${endpoint.url}`}>
    <h3>Deliveries <button class="outline secondary compact" onClick=${load}>Refresh</button></h3>
    <${ProblemBox} error=${error} />
    ${!deliveries ? html`<${Loading} what="Loading deliveries" />` : deliveries.length === 0 ? html`<p>No deliveries yet.</p>`
      : html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Deliveries">
      <thead><tr><th scope="col">Event</th><th scope="col">Type</th><th scope="col">State</th><th scope="col" class="num">Attempts</th>
        <th scope="col">Each attempt</th><th scope="col">Next retry</th><th scope="col"></th></tr></thead>
      <tbody>${deliveries.map((d) => html`<tr data-delivery=${d.id}>
        <td><code>${d.event_id.slice(0, 8)}</code></td><td>${d.event_type}</td><td>${d.held ? 'held (endpoint disabled)' : d.state}</td>
        <td class="num">${d.attempt_count}</td>
        <td><ol>${d.attempts.map((a) => html`<li>${dateTime(a.started_at)}: ${attemptText(a)} (${a.duration_ms} ms)</li>`)}</ol></td>
        <td>${d.next_attempt_at ? dateTime(d.next_attempt_at) : '—'}</td>
        <td><button class="outline secondary compact" onClick=${() => replay(d)} aria-label=${`Replay ${d.event_id}`}>Replay</button></td>
      </tr>`)}</tbody>
    </table></div>`}
  </section>`;
}

export function Webhooks() {
  const [endpoints, setEndpoints] = useState(null);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState(null);
  const load = () => api('/webhook-endpoints').then((r) => { setEndpoints(r.webhook_endpoints); setError(null); }, setError);
  useEffect(() => { load(); }, []);
  async function act(fn) {
    try {
      await fn();
      await load();
    } catch (err) {
      setError(err);
    }
  }
  const setEnabled = (e, enabled) => act(() => api(`/webhook-endpoints/${e.id}`, { method: 'PATCH', json: { enabled } }));
  const ping = (e) => act(() => api(`/webhook-endpoints/${e.id}/test`, { method: 'POST', json: {} }));
  // The new secret is in this answer only (as at creation): it lives in this page's state until a reload.
  const rotate = (e) => act(async () => setRotated(await api(`/webhook-endpoints/${e.id}/rotate-secret`, { method: 'POST', json: {} })));
  async function remove() {
    setBusy(true);
    await act(() => api(`/webhook-endpoints/${deleting.id}`, { method: 'DELETE' }));
    setDeleting(null);
    setBusy(false);
  }
  return html`
    <h1>Webhooks</h1>
    <p>Shipgate posts its events to these URLs, signed with <code>Shipgate-Signature: t=…,v1=…</code>${' '}
      (HMAC-SHA256 of <code>t.body</code> with the endpoint's secret). Deliveries are retried for a day.</p>
    <${NewEndpoint} onCreated=${load} />
    <${ProblemBox} error=${error} />
    ${rotated ? html`<div role="status">
      <p><strong>New signing secret for ${rotated.url}:</strong> copy it now, it is shown only once.${rotated.previous_secret_expires_at ? html` The previous secret also signs deliveries until ${dateTime(rotated.previous_secret_expires_at)}.` : ''}</p>
      <pre class="secret"><code data-testid="rotated-webhook-secret">${rotated.secret}</code></pre>
    </div>` : ''}
    ${!endpoints ? html`<${Loading} what="Loading webhook endpoints" />` : html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Webhook endpoints">
      <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Last success</th>
        <th scope="col">Actions</th></tr></thead>
      <tbody>${endpoints.map((e) => html`<tr data-endpoint=${e.url}>
        <td>${e.url}${e.description ? html`<br /><small>${e.description}</small>` : ''}</td>
        <td>${e.events.join(', ')}</td>
        <td>${e.enabled ? html`<span class="badge badge-good">enabled</span>`
          : html`<span class="badge badge-muted">disabled</span><br /><small data-testid="disabled-reason">${e.disabled_reason}</small>`}
          ${e.consecutive_failures > 0 ? html`<br /><small>${e.consecutive_failures} failed attempt${e.consecutive_failures === 1 ? '' : 's'} in a row</small>` : ''}</td>
        <td>${e.last_success_at ? dateTime(e.last_success_at) : '—'}</td>
        <td>
          <button class="outline secondary compact" onClick=${() => setOpen(open === e.id ? null : e.id)}>Deliveries</button>
          <button class="outline secondary compact" onClick=${() => ping(e)} disabled=${!e.enabled}>Send test</button>
          <button class="outline secondary compact" onClick=${() => setEnabled(e, !e.enabled)}>${e.enabled ? 'Disable' : 'Enable'}</button>
          <button class="outline secondary compact" onClick=${() => rotate(e)} aria-label=${`Rotate secret of ${e.url}`}>Rotate secret</button>
          <button class="outline secondary compact" onClick=${() => setDeleting(e)} aria-label=${`Delete ${e.url}`}>Delete</button>
        </td>
      </tr>`)}</tbody>
    </table></div>`}
    ${open && endpoints?.find((e) => e.id === open) ? html`<${Deliveries} endpoint=${endpoints.find((e) => e.id === open)} />` : ''}
    <${ConfirmDialog} id="delete-webhook-endpoint" open=${Boolean(deleting)} title="Delete this webhook endpoint?" confirmLabel="Delete"
      busy=${busy} onConfirm=${remove} onCancel=${() => setDeleting(null)}>
      <p>${deleting?.url} gets no more events, and its delivery log is deleted.</p>
    </${ConfirmDialog}>`;
}
