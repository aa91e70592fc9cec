// End of day: what is bought but not yet on a scan form (per carrier, made into a form with one click),
// the forms with their documents to print, and carrier pickups (asked for, bought at a rate, cancelled).
import { html, useEffect, useState } from '../lib.js';
import { api, newIdempotencyKey } from '../api.js';
import { ConfirmDialog, dateTime, Field, Loading, money, number, ProblemBox } from '../ui.js';
import { carrierName, carrierService } from '../names.js';
import { documentUrl } from '../printing.js';

function tomorrowAt(hour) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().slice(0, 16);
}

/** Shipment ids typed or pasted into one field: separated by commas, spaces or new lines. */
function ids(text) {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

function OpenToday({ onMade }) {
  const [open, setOpen] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  // empty: the service's today, a day of BUSINESS_TIMEZONE (the browser's clock and zone may differ)
  const [day, setDay] = useState('');
  const load = () => api(`/scan-forms/open${day ? `?date=${encodeURIComponent(day)}` : ''}`).then(setOpen, setError);
  useEffect(() => { load(); }, [day]);
  async function make(row) {
    setBusy(row.carrier);
    setError(null);
    try {
      const form = await api('/scan-forms', { method: 'POST', json: { shipment_ids: row.shipment_ids }, idempotencyKey: newIdempotencyKey() });
      onMade(form);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  if (!open) return error ? html`<${ProblemBox} error=${error} />` : html`<${Loading} what="Finding today's labels" />`;
  return html`
    <label>Labels bought on (a day of the business time zone)
      <input type="date" name="scan_form_date" data-testid="scan-form-date" value=${day || open.date} onChange=${(e) => setDay(e.currentTarget.value)} /></label>
    <${ProblemBox} error=${error} />
    ${open.carriers.length === 0 ? html`<p>Every label bought on ${open.date} is on a scan form.</p>` : html`
    <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Left to manifest today">
      <thead><tr><th scope="col">Carrier</th><th scope="col" class="num">Bought, not on a form</th><th scope="col">Action</th></tr></thead>
      <tbody>${open.carriers.map((row) => html`<tr>
        <td>${carrierName(row.carrier)}</td><td class="num">${number(row.shipments)}</td>
        <td><button class="compact" data-testid=${`make-scan-form-${row.carrier}`} onClick=${() => make(row)}
          aria-busy=${busy === row.carrier ? 'true' : 'false'} disabled=${busy !== null}>Make scan form</button></td>
      </tr>`)}</tbody>
    </table></div>`}`;
}

/** A scan form of chosen shipments, or of one day's labels of a carrier from one origin address. */
function CustomScanForm({ onMade }) {
  const [form, setForm] = useState({ shipment_ids: '', date: new Date().toISOString().slice(0, 10), carrier: '', street1: '', city: '', state: '', zip: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (v) => setForm({ ...form, [k]: v });
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const chosen = ids(form.shipment_ids);
    const json = chosen.length > 0 ? { shipment_ids: chosen } : { date: form.date, carrier: form.carrier.trim(),
      ...(form.street1.trim() ? { from_address: { street1: form.street1, city: form.city, state: form.state || null, zip: form.zip, country: 'US' } } : {}) };
    try {
      onMade(await api('/scan-forms', { method: 'POST', json, idempotencyKey: newIdempotencyKey() }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<details><summary>Scan form of chosen shipments, another day or one origin</summary>
    <form onSubmit=${submit} aria-label="New scan form">
      <${Field} name="shipment_ids" label="Shipment ids (separated by commas, spaces or lines); leave empty to use the day below" value=${form.shipment_ids} onInput=${set('shipment_ids')} error=${error} id="scan-form-shipment-ids" />
      <div class="grid">
        <${Field} name="date" label="Day the labels were bought (business time zone)" type="date" value=${form.date} onInput=${set('date')} error=${error} id="scan-form-day" />
        <${Field} name="carrier" label="Carrier" value=${form.carrier} onInput=${set('carrier')} error=${error} id="scan-form-carrier" />
      </div>
      <div class="grid">
        <${Field} name="from_address.street1" label="Origin street (optional)" value=${form.street1} onInput=${set('street1')} error=${error} id="scan-form-street1" />
        <${Field} name="from_address.city" label="City" value=${form.city} onInput=${set('city')} error=${error} />
        <${Field} name="from_address.state" label="State" value=${form.state} onInput=${set('state')} error=${error} />
        <${Field} name="from_address.zip" label="ZIP" value=${form.zip} onInput=${set('zip')} error=${error} />
      </div>
      <${ProblemBox} error=${error} />
      <button type="submit" aria-busy=${busy ? 'true' : 'false'} disabled=${busy}>Make scan form</button>
    </form></details>`;
}

function ScanForms({ made }) {
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { api('/scan-forms?limit=20').then(setPage, setError); }, [made?.id]);
  if (!page) return error ? html`<${ProblemBox} error=${error} />` : html`<${Loading} what="Loading scan forms" />`;
  if (page.scan_forms.length === 0) return html`<p>No scan forms yet.</p>`;
  return html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Scan forms">
    <thead><tr><th scope="col">Made</th><th scope="col">Carrier</th><th scope="col" class="num">Shipments</th><th scope="col">Status</th><th scope="col">Document</th></tr></thead>
    <tbody>${page.scan_forms.map((f) => html`<tr data-testid=${made?.id === f.id ? 'new-scan-form' : undefined}>
      <td>${dateTime(f.created_at)}</td><td>${carrierName(f.carrier)}</td><td class="num">${number(f.shipment_count)}</td><td>${f.status}</td>
      <td>${f.form_url ? html`<a href=${documentUrl(f.form_url)} target="_blank" rel="noopener" data-testid="scan-form-link">Print form</a>` : '—'}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

function NewPickup({ onCreated }) {
  const [form, setForm] = useState({ name: '', street1: '', city: '', state: '', zip: '', shipment_ids: '',
    min_datetime: tomorrowAt(9), max_datetime: tomorrowAt(17), instructions: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (v) => setForm({ ...form, [k]: v });
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pickup = await api('/pickups', { method: 'POST', idempotencyKey: newIdempotencyKey(), json: {
        address: { name: form.name || null, street1: form.street1, city: form.city, state: form.state || null, zip: form.zip, country: 'US' },
        min_datetime: `${form.min_datetime}:00Z`, max_datetime: `${form.max_datetime}:00Z`,
        instructions: form.instructions || null, shipment_ids: ids(form.shipment_ids) } });
      onCreated(pickup);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<form onSubmit=${submit} aria-label="New pickup">
    <div class="grid">
      <${Field} name="address.name" label="Name" value=${form.name} onInput=${set('name')} error=${error} />
      <${Field} name="address.street1" label="Street" value=${form.street1} onInput=${set('street1')} error=${error} required />
    </div>
    <div class="grid">
      <${Field} name="address.city" label="City" value=${form.city} onInput=${set('city')} error=${error} required />
      <${Field} name="address.state" label="State" value=${form.state} onInput=${set('state')} error=${error} />
      <${Field} name="address.zip" label="ZIP" value=${form.zip} onInput=${set('zip')} error=${error} required />
    </div>
    <div class="grid">
      <${Field} name="min_datetime" label="Earliest (UTC)" type="datetime-local" value=${form.min_datetime} onInput=${set('min_datetime')} error=${error} required />
      <${Field} name="max_datetime" label="Latest (UTC)" type="datetime-local" value=${form.max_datetime} onInput=${set('max_datetime')} error=${error} required />
    </div>
    <${Field} name="shipment_ids" label="Shipment ids (bought shipments, up to 100, separated by commas, spaces or lines)" value=${form.shipment_ids} onInput=${set('shipment_ids')} error=${error} required />
    <${Field} name="instructions" label="Instructions for the driver" value=${form.instructions} onInput=${set('instructions')} error=${error} />
    <${ProblemBox} error=${error} />
    <button type="submit" aria-busy=${busy ? 'true' : 'false'} disabled=${busy}>Ask for rates</button>
  </form>`;
}

/** EasyPost's pickup statuses in words: "unknown" is a pickup asked for whose rate is not bought yet. */
const PICKUP_STATUS = { unknown: 'Not bought', scheduled: 'Scheduled', canceled: 'Cancelled' };

function PickupCard({ pickup, onChanged }) {
  const [error, setError] = useState(null);
  const [choice, setChoice] = useState(null);
  const [busy, setBusy] = useState(false);
  async function act(path, json) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api(`/pickups/${pickup.id}/${path}`, { method: 'POST', json, idempotencyKey: newIdempotencyKey() }));
      setChoice(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return html`<article data-testid="pickup">
    <header><strong>Pickup ${dateTime(pickup.min_datetime)} – ${dateTime(pickup.max_datetime)}</strong>
      <span class="badge badge-info" data-testid="pickup-status">${PICKUP_STATUS[pickup.status] ?? pickup.status}</span>${pickup.confirmation ? html` confirmation <code>${pickup.confirmation}</code>` : ''}</header>
    ${pickup.status === 'unknown' ? html`<ul>${pickup.rates.map((r) => html`<li>${carrierService(r.carrier, r.service)}: ${money(r.rate)}
      <button class="compact" onClick=${() => setChoice(r)} disabled=${busy}>Buy</button></li>`)}</ul>` : ''}
    ${pickup.status !== 'canceled' && pickup.status !== 'gone' ? html`<button class="secondary compact" onClick=${() => act('cancel')} disabled=${busy}>Cancel pickup</button>` : ''}
    <${ProblemBox} error=${error} />
    <${ConfirmDialog} id=${`buy-pickup-${pickup.id}`} open=${choice !== null} title="Buy this pickup?" confirmLabel="Buy pickup"
      busy=${busy} onCancel=${() => setChoice(null)} onConfirm=${() => act('buy', { carrier: choice.carrier, service: choice.service })}>
      <p>${choice ? `${carrierService(choice.carrier, choice.service)} for ${money(choice.rate)}. This spends money.` : ''}</p>
    </${ConfirmDialog}>
  </article>`;
}

function Pickups() {
  const [pickups, setPickups] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('/pickups?limit=20')
    .then((page) => Promise.all(page.pickups.map((p) => api(`/pickups/${p.id}`))))
    .then(setPickups, setError);
  useEffect(() => { load(); }, []);
  return html`
    <${NewPickup} onCreated=${load} />
    <${ProblemBox} error=${error} />
    ${pickups ? pickups.map((p) => html`<${PickupCard} key=${p.id} pickup=${p} onChanged=${load} />`) : html`<${Loading} what="Loading pickups" />`}`;
}

export function EndOfDay() {
  const [made, setMade] = useState(null);
  return html`
    <h1>End of day</h1>
    <h2>Left to manifest</h2>
    <${OpenToday} onMade=${setMade} />
    <${CustomScanForm} onMade=${setMade} />
    ${made ? html`<p role="status" data-testid="scan-form-made">Scan form with ${made.shipments.length} shipments made.${' '}<a href=${documentUrl(made.form_url)} target="_blank" rel="noopener">Print it</a>.</p>` : ''}
    <h2>Scan forms</h2>
    <${ScanForms} made=${made} />
    <h2>Pickups</h2>
    <${Pickups} />`;
}
