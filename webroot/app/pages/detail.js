// One shipment: addresses, parcel, every rate side by side, buying (after a confirmation that shows the
// price), the label (printed as a 4x6 PDF, or downloaded as PNG, PDF, ZPL or EPL2), the tracking timeline
// and refunds.
import { html, useEffect, useState } from '../lib.js';
import { api, newIdempotencyKey } from '../api.js';
import { ConfirmDialog, dateTime, label, Loading, money, ProblemBox, StatusBadge } from '../ui.js';
import { LABEL_FORMATS, labelFile, openDocument } from '../printing.js';

/** Print (the 4x6 PDF, in a new tab) and download in a chosen format; each format is converted once. */
function LabelFiles({ shipment, onError }) {
  const [format, setFormat] = useState('pdf');
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  async function run(work) {
    setBusy(true);
    onError(null);
    try { await work(); } catch (e) { onError(e); } finally { setBusy(false); }
  }
  const print = () => run(() => openDocument(labelFile(shipment.id, 'pdf').then((f) => f.label_url)));
  const fetchFile = () => run(async () => setFile(await labelFile(shipment.id, format)));
  return html`<div class="actions label-files">
    <button data-testid="print-label" onClick=${print} aria-busy=${busy ? 'true' : 'false'} disabled=${busy}>Print label</button>
    <label>Format <select data-testid="label-format" value=${format} onChange=${(e) => { setFormat(e.currentTarget.value); setFile(null); }}>
      ${LABEL_FORMATS.map((f) => html`<option value=${f}>${f.toUpperCase()}</option>`)}</select></label>
    <button class="secondary outline" data-testid="get-label-file" onClick=${fetchFile} disabled=${busy}>Get ${format.toUpperCase()} file</button>
    ${file ? html`<a data-testid="label-file-link" href=${file.label_url} download target="_blank" rel="noopener">Download ${file.format.toUpperCase()}</a>` : ''}
  </div>`;
}

function AddressCard({ title, address }) {
  if (!address) return null;
  return html`<article class="address">
    <header><strong>${title}</strong>${address.verified ? html` <span class="badge badge-good">verified</span>` : ''}</header>
    <address>
      ${[address.name, address.company, address.street1, address.street2,
         [address.city, address.state, address.zip].filter(Boolean).join(' '), address.country]
        .filter(Boolean).map((line) => html`${line}<br />`)}
    </address>
    ${address.phone || address.email ? html`<small>${[address.phone, address.email].filter(Boolean).join(' · ')}</small>` : ''}
  </article>`;
}

function Timeline({ events }) {
  if (!events) return html`<${Loading} what="Loading tracking" />`;
  if (events.length === 0) return html`<p>No tracking events yet. They arrive from the carrier through EasyPost's webhooks.</p>`;
  return html`<ol class="timeline" aria-label="Tracking events, newest first">
    ${events.map((e) => html`<li>
      <${StatusBadge} status=${e.status} /> <time datetime=${e.datetime}>${dateTime(e.datetime)}</time>
      <div>${e.description ?? label(e.status)}${e.city ? html` <small>· ${[e.city, e.state, e.country].filter(Boolean).join(', ')}</small>` : ''}</div>
    </li>`)}
  </ol>`;
}

export function ShipmentDetail({ id }) {
  const [shipment, setShipment] = useState(null);
  const [events, setEvents] = useState(null);
  const [error, setError] = useState(null);
  const [buying, setBuying] = useState(null); // { rate, key }
  const [refunding, setRefunding] = useState(null); // { key }
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState(null);

  function load() {
    api(`/shipments/${encodeURIComponent(id)}`).then(setShipment, setError);
    api(`/shipments/${encodeURIComponent(id)}/events`).then((t) => setEvents(t.events), () => setEvents([]));
  }
  useEffect(load, [id]);

  async function act(path, body, key, close) {
    setBusy(true);
    setActionError(null);
    try {
      setShipment(await api(path, { method: 'POST', json: body, idempotencyKey: key }));
      close();
      api(`/shipments/${encodeURIComponent(id)}/events`).then((t) => setEvents(t.events), () => {});
    } catch (e) {
      setActionError(e);
      close();
    } finally {
      setBusy(false);
    }
  }

  if (error) return html`<h1>Shipment</h1><${ProblemBox} error=${error} /><p><a href="#/shipments">Back to shipments</a></p>`;
  if (!shipment) return html`<${Loading} what="Loading the shipment" />`;
  const s = shipment;
  const bought = Boolean(s.tracking_code);
  const rates = [...s.rates].sort((a, b) => Number(a.rate) - Number(b.rate));
  const refundable = bought && !s.refund_status;
  return html`
    <p><a href="#/shipments">← Shipments</a></p>
    <h1>Shipment ${s.reference ? html`<small>${s.reference}</small>` : ''}</h1>
    <p><${StatusBadge} status=${s.status} /> <small>created ${dateTime(s.created_at)} · EasyPost <code>${s.easypost_id}</code></small></p>
    <${ProblemBox} error=${actionError} />
    ${bought ? html`<article class="label-box" aria-label="Label">
        <p><strong>${s.carrier} ${s.service}</strong> for ${money(s.rate)} · tracking <code data-testid="tracking-code">${s.tracking_code}</code>
          ${s.refund_status ? html` · refund <strong>${label(s.refund_status)}</strong>` : ''}</p>
        ${s.label_url ? html`<${LabelFiles} shipment=${s} onError=${setActionError} />` : ''}
        <div class="actions">
          ${s.label_url ? html`<a role="button" class="secondary" href=${s.label_url} target="_blank" rel="noopener">Open label</a>` : ''}
          ${refundable ? html`<button class="secondary outline" onClick=${() => setRefunding({ key: newIdempotencyKey() })}>Refund label…</button>` : ''}
        </div>
      </article>` : ''}
    <div class="grid">
      <${AddressCard} title="From" address=${s.from_address} />
      <${AddressCard} title="To" address=${s.to_address} />
      <article><header><strong>Parcel</strong></header>
        ${s.parcel ? html`<p>${s.parcel.predefined_package ?? [s.parcel.length, s.parcel.width, s.parcel.height].filter((v) => v != null).join(' × ') + ' in'}<br />${s.parcel.weight} oz</p>` : '—'}
      </article>
    </div>
    <section>
      <h2>Rates</h2>
      ${rates.length === 0 ? html`<p>EasyPost returned no rates for this shipment.</p>` : html`
      <div class="overflow-auto"><table class="striped" aria-label="Rates">
        <thead><tr><th scope="col">Carrier</th><th scope="col">Service</th><th scope="col" class="num">Price</th><th scope="col" class="num">Days</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
        <tbody>${rates.map((r) => html`<tr class=${s.rate != null && s.carrier === r.carrier && s.service === r.service ? 'chosen' : ''}>
          <td>${r.carrier}</td><td>${r.service}</td><td class="num">${money(r.rate)}</td><td class="num">${r.delivery_days ?? '—'}</td>
          <td>${bought ? '' : html`<button class="compact" onClick=${() => setBuying({ rate: r, key: newIdempotencyKey() })}
              aria-label=${`Buy ${r.carrier} ${r.service} for ${money(r.rate)}`}>Buy</button>`}</td></tr>`)}</tbody>
      </table></div>`}
    </section>
    <section>
      <h2>Tracking</h2>
      <${Timeline} events=${events} />
    </section>
    <${ConfirmDialog} id="confirm-buy" open=${Boolean(buying)} busy=${busy} title="Buy this label?"
      confirmLabel=${buying ? `Buy for ${money(buying.rate.rate)}` : 'Buy'}
      onCancel=${() => setBuying(null)}
      onConfirm=${() => act(`/shipments/${s.id}/buy`, { rate_id: buying.rate.id }, buying.key, () => setBuying(null))}>
      ${buying ? html`<p>This spends money: <strong>${money(buying.rate.rate)}</strong> for ${buying.rate.carrier} ${buying.rate.service}${buying.rate.delivery_days ? ` (${buying.rate.delivery_days} days)` : ''}.</p>` : ''}
    <//>
    <${ConfirmDialog} id="confirm-refund" open=${Boolean(refunding)} busy=${busy} title="Refund this label?"
      confirmLabel="Ask for a refund" onCancel=${() => setRefunding(null)}
      onConfirm=${() => act(`/shipments/${s.id}/refund`, undefined, refunding.key, () => setRefunding(null))}>
      <p>EasyPost asks ${s.carrier} to refund ${money(s.rate)}. The label must not be used afterwards.</p>
    <//>`;
}
