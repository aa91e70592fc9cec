// One shipment: addresses, parcel, every rate side by side, buying (after a confirmation that shows the
// price), the label (printed as a 4x6 PDF, or downloaded as PNG, PDF, ZPL or EPL2), the tracking timeline
// and refunds (offered only while EasyPost can still refund the label: before the carrier's first scan).
import { html, useEffect, useState } from '../lib.js';
import { api, newIdempotencyKey } from '../api.js';
import { ConfirmDialog, dateTime, label, Loading, money, ProblemBox, StatusBadge } from '../ui.js';
import { LABEL_FORMATS, documentUrl, labelFile, openDocument } from '../printing.js';
import { insuranceKey } from './create.js';
import { carrierName, carrierService, serviceName } from '../names.js';

/**
 * EasyPost refunds only labels not yet used: bought, no refund asked for yet, and no carrier scan so far
 * (the tracker still says pre_transit, or unknown before its first update).
 */
export function refundable(s) {
  return Boolean(s.tracking_code) && !s.refund_status && (s.status === 'pre_transit' || s.status === 'unknown' || !s.status);
}

/** "10 × 8 × 4 in", or nothing when the parcel has no dimensions. */
const dimensions = (p) => {
  const sides = [p.length, p.width, p.height].filter((v) => v != null);
  return sides.length ? `${sides.join(' × ')} in` : '';
};

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
    ${file ? html`<a data-testid="label-file-link" href=${documentUrl(file.label_url)} download target="_blank" rel="noopener">Download ${file.format.toUpperCase()}</a>` : ''}
  </div>`;
}

function Customs({ customs }) {
  if (!customs) return null;
  return html`<section>
    <h2>Customs</h2>
    <p>${label(customs.contents_type)} · if undeliverable: ${customs.non_delivery_option} · EEL/PFC ${customs.eel_pfc ?? '—'}
      ${customs.customs_signer ? html` · signed by ${customs.customs_signer}${customs.customs_certify ? ' (certified)' : ''}` : ''}</p>
    <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Customs items">
      <thead><tr><th scope="col">Item</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Value</th>
        <th scope="col" class="num">Weight (oz)</th><th scope="col">HS code</th><th scope="col">Made in</th></tr></thead>
      <tbody>${customs.customs_items.map((i) => html`<tr><td>${i.description}</td><td class="num">${i.quantity}</td>
        <td class="num">${money(i.value)}</td><td class="num">${i.weight}</td><td>${i.hs_tariff_number ?? '—'}</td><td>${i.origin_country}</td></tr>`)}</tbody>
    </table></div>
  </section>`;
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

const LABEL_FORMAT_KEY = 'shipgate.buyLabelFormat';

export function ShipmentDetail({ id }) {
  const [shipment, setShipment] = useState(null);
  const [events, setEvents] = useState(null);
  const [error, setError] = useState(null);
  const [buying, setBuying] = useState(null); // { rate, key }
  const [refunding, setRefunding] = useState(null); // { key }
  const [returning, setReturning] = useState(null); // { key }
  const [insuring, setInsuring] = useState(null); // { key, amount }
  // The label format to buy in: '' is the service's default (LABEL_FORMAT); the last choice is remembered.
  const [labelFormat, setLabelFormat] = useState(() => localStorage.getItem(LABEL_FORMAT_KEY) || '');
  const [insurance, setInsurance] = useState(() => sessionStorage.getItem(insuranceKey(id)) || '');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState(null);
  const [awaiting, setAwaiting] = useState(null); // the approval a buy above the token's threshold waits for

  function load() {
    api(`/shipments/${encodeURIComponent(id)}`).then(setShipment, setError);
    api(`/shipments/${encodeURIComponent(id)}/events`).then((t) => setEvents(t.events), () => setEvents([]));
  }
  useEffect(load, [id]);
  /** After buying or refunding: the shipment as stored now (status, refund, label), and its events. */
  async function refresh() {
    const [fresh, tracked] = await Promise.all([
      api(`/shipments/${encodeURIComponent(id)}`),
      api(`/shipments/${encodeURIComponent(id)}/events`).catch(() => null),
    ]);
    setShipment(fresh);
    if (tracked) setEvents(tracked.events);
  }

  async function act(path, body, key, close) {
    setBusy(true);
    setActionError(null);
    try {
      const answer = await api(path, { method: 'POST', json: body, idempotencyKey: key });
      // A buy above the token's approval threshold answers 202 {approval}, not the shipment.
      if (answer && answer.approval) setAwaiting(answer.approval);
      else setShipment(answer);
      close();
      await refresh().catch(() => {});
    } catch (e) {
      setActionError(e);
      close();
    } finally {
      setBusy(false);
    }
  }

  async function returnShipment(key) {
    setBusy(true);
    setActionError(null);
    try {
      const made = await api(`/shipments/${encodeURIComponent(id)}/return`, { method: 'POST', json: {}, idempotencyKey: key });
      setReturning(null);
      location.hash = `#/shipments/${made.id}`;
    } catch (e) {
      setActionError(e);
      setReturning(null);
    } finally {
      setBusy(false);
    }
  }

  if (error) return html`<h1>Shipment</h1><${ProblemBox} error=${error} /><p><a href="#/shipments">Back to shipments</a></p>`;
  if (!shipment) return html`<${Loading} what="Loading the shipment" />`;
  const s = shipment;
  const bought = Boolean(s.tracking_code);
  const rates = [...(s.rates || [])].sort((a, b) => Number(a.rate) - Number(b.rate));
  const canRefund = refundable(s);
  const refunded = Boolean(s.refund_status);
  return html`
    <p><a href="#/shipments">← Shipments</a></p>
    <h1>Shipment ${s.reference ? html`<small>${s.reference}</small>` : ''}</h1>
    <p data-testid="shipment-status"><${StatusBadge} status=${s.status} bought=${bought} />${refunded
      ? html` <span class="badge badge-outline" data-testid="refund-badge">refund ${label(s.refund_status)}</span>` : ''} <small>created ${dateTime(s.created_at)} · EasyPost <code>${s.easypost_id}</code></small></p>
    <${ProblemBox} error=${actionError} />
    ${awaiting ? html`<article class="notice" role="status" data-testid="awaiting-approval">
        <p>This purchase is <strong>awaiting approval</strong> (id <code>${awaiting.id}</code>): an admin approves or rejects it
          on the <a href="#/approvals">Approvals</a> page; nothing is bought until then.</p>
      </article>` : ''}
    ${bought ? html`<article class="label-box" aria-label="Label">
        <p><strong>${carrierService(s.carrier, s.service)}</strong> for ${money(s.rate)} · tracking <code data-testid="tracking-code">${s.tracking_code}</code>
          ${refunded ? html` · refund <strong>${label(s.refund_status)}</strong>` : ''}</p>
        ${refunded ? html`<p role="status" data-testid="refunded-note">A refund was asked for: this label must not be used.</p>` : ''}
        ${s.label_url && !refunded ? html`<${LabelFiles} shipment=${s} onError=${setActionError} />` : ''}
        <div class="actions">
          ${s.label_url && !refunded ? html`<a role="button" class="secondary" href=${documentUrl(s.label_url)} target="_blank" rel="noopener">Open label</a>` : ''}
          ${(s.forms || []).map((f) => html`<a role="button" class="secondary" href=${documentUrl(f.form_url)} target="_blank" rel="noopener"
            data-testid="customs-form">Open ${label(f.form_type)}</a>`)}
          ${bought && !refunded && !s.insured_amount ? html`<button class="secondary outline" data-testid="insure"
            onClick=${() => setInsuring({ key: newIdempotencyKey(), amount: insurance })}>Insure…</button>` : ''}
          ${canRefund ? html`<button class="secondary outline" data-testid="refund" onClick=${() => setRefunding({ key: newIdempotencyKey() })}>Refund label…</button>` : ''}
          ${!refunded && !s.return_of && !s.return_shipment_id ? html`<button class="secondary outline" onClick=${() => setReturning({ key: newIdempotencyKey() })}>Create return…</button>` : ''}
        </div>
        ${!canRefund && !refunded ? html`<p><small data-testid="no-refund">No refund: the carrier has scanned this label (EasyPost refunds only unused labels).</small></p>` : ''}
        ${s.insured_amount ? html`<p data-testid="insured">Insured for ${money(s.insured_amount)} (fee ${money(s.insurance_fee)})</p>` : ''}
      </article>` : ''}
    ${s.return_of ? html`<p>Return of <a href=${`#/shipments/${s.return_of}`}>the original shipment</a></p>` : ''}
    ${s.return_shipment_id ? html`<p>Its return: <a href=${`#/shipments/${s.return_shipment_id}`} data-testid="return-link">the return shipment</a></p>` : ''}
    <div class="grid">
      <${AddressCard} title="From" address=${s.from_address} />
      <${AddressCard} title="To" address=${s.to_address} />
      <article><header><strong>Parcel</strong></header>
        ${s.parcel ? html`<p>${s.parcel.predefined_package ?? dimensions(s.parcel)}<br />${s.parcel.weight} oz</p>` : '—'}
      </article>
    </div>
    <${Customs} customs=${s.customs_info} />
    <section>
      <h2>Rates</h2>
      ${rates.length === 0 ? html`<p>EasyPost returned no rates for this shipment.</p>` : html`
      <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Rates">
        <thead><tr><th scope="col">Service</th><th scope="col" class="num">Price</th><th scope="col" class="num">Days</th>${bought ? ''
          : html`<th scope="col"><span class="visually-hidden">Action</span></th>`}</tr></thead>
        <tbody>${rates.map((r) => html`<tr class=${s.rate != null && s.carrier === r.carrier && s.service === r.service ? 'chosen' : ''}>
          <td class="rate-service">${serviceName(r.carrier, r.service)}<small>${carrierName(r.carrier)}</small></td>
          <td class="num">${money(r.rate)}</td><td class="num">${r.delivery_days ?? '—'}</td>
          ${bought ? '' : html`<td><button class="compact" data-testid="buy-rate" onClick=${() => setBuying({ rate: r, key: newIdempotencyKey() })}
              aria-label=${`Buy ${carrierService(r.carrier, r.service)} for ${money(r.rate)}`}>Buy</button></td>`}</tr>`)}</tbody>
      </table></div>`}
    </section>
    <section>
      <h2>Tracking</h2>
      <${Timeline} events=${events} />
    </section>
    <${ConfirmDialog} id="confirm-buy" open=${Boolean(buying)} busy=${busy} title="Buy this label?"
      confirmLabel=${buying ? `Buy for ${money(buying.rate.rate)}` : 'Buy'}
      onCancel=${() => setBuying(null)}
      onConfirm=${() => act(`/shipments/${s.id}/buy`, { rate_id: buying.rate.id, ...(insurance.trim() ? { insurance: insurance.trim() } : {}),
        ...(labelFormat ? { label_format: labelFormat } : {}) }, buying.key, () => setBuying(null))}>
      ${buying ? html`<p>This spends money: <strong>${money(buying.rate.rate)}</strong> for ${carrierService(buying.rate.carrier, buying.rate.service)}${buying.rate.delivery_days ? ` (${buying.rate.delivery_days} days)` : ''}.</p>
        <label>Insure for, USD (optional; EasyPost charges a fee)
          <input name="insurance" type="number" step="0.01" min="0" value=${insurance} onInput=${(e) => setInsurance(e.currentTarget.value)} /></label>
        <label>Label format
          <select name="label_format" data-testid="buy-label-format" value=${labelFormat}
            onChange=${(e) => { setLabelFormat(e.currentTarget.value); localStorage.setItem(LABEL_FORMAT_KEY, e.currentTarget.value); }}>
            <option value="">Service default</option>
            ${LABEL_FORMATS.map((f) => html`<option value=${f}>${f.toUpperCase()}${f === 'pdf' ? ' (4×6 page)' : f === 'zpl' || f === 'epl2' ? ' (thermal printer)' : ''}</option>`)}
          </select></label>` : ''}
    <//>
    <${ConfirmDialog} id="confirm-insure" open=${Boolean(insuring)} busy=${busy} title="Insure this parcel?"
      confirmLabel="Insure" onCancel=${() => setInsuring(null)}
      onConfirm=${() => act(`/shipments/${s.id}/insure`, { amount: (insuring.amount || '').trim() }, insuring.key, () => setInsuring(null))}>
      ${insuring ? html`<p>EasyPost insures the parcel for this amount and charges a fee for it (this spends money).</p>
        <label>Insure for, USD
          <input name="insure_amount" type="number" step="0.01" min="0.01" required value=${insuring.amount}
            onInput=${(e) => setInsuring({ ...insuring, amount: e.currentTarget.value })} /></label>` : ''}
    <//>
    <${ConfirmDialog} id="confirm-refund" open=${Boolean(refunding)} busy=${busy} title="Refund this label?"
      confirmLabel="Ask for a refund" onCancel=${() => setRefunding(null)}
      onConfirm=${() => act(`/shipments/${s.id}/refund`, undefined, refunding.key, () => setRefunding(null))}>
      <p>EasyPost asks ${carrierName(s.carrier)} to refund ${money(s.rate)}. The label must not be used afterwards.</p>
    <//>
    <${ConfirmDialog} id="confirm-return" open=${Boolean(returning)} busy=${busy} title="Create a return shipment?"
      confirmLabel="Create return" onCancel=${() => setReturning(null)}
      onConfirm=${() => returnShipment(returning.key)}>
      <p>A new shipment from ${s.to_address?.name ?? 'the recipient'} back to ${s.from_address?.name ?? 'you'}, with its own rates.
        Nothing is bought until you buy its label.</p>
    <//>`;
}
