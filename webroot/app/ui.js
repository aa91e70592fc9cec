// Shared pieces of the pages: formatting, status badges, problem display, confirmation dialogs, charts.
import { html, useEffect, useRef } from './lib.js';
import { stateColour, statusColour } from './colours.js';
import { fieldLabel } from './names.js';

export const STATUSES = ['unknown', 'pre_transit', 'in_transit', 'out_for_delivery', 'delivered',
  'available_for_pickup', 'return_to_sender', 'failure', 'cancelled', 'error'];

const moneyFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
export const money = (value) => (value == null ? '—' : moneyFormat.format(Number(value)));
export const number = (value) => (value == null ? '—' : Number(value).toLocaleString());
export const label = (status) => (status || 'unknown').replaceAll('_', ' ');
// The business's time zone (BUSINESS_TIMEZONE), set once after sign-in by the shell: times read in the zone the
// service counts its days in, so "created Nov 30, 11:31 PM" sits on the day the list files it under, whatever
// zone the browser is in. Until it is known (or if the service cannot say), the browser's zone is used.
let businessZone;
/** Sets the zone `dateTime` shows times in (an IANA name, e.g. "America/Los_Angeles"). */
export function setBusinessZone(zone) {
  businessZone = zone || undefined;
}
/** The business's time zone, once known. */
export const timeZone = () => businessZone;
/** An ISO instant as a date and time in the business's zone, with the zone's short name ("Nov 30, 2026, 3:31 PM PST"). */
export function dateTime(value) {
  if (!value) return '—';
  const when = new Date(value);
  const options = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
  try {
    return when.toLocaleString(undefined, { ...options, timeZone: businessZone });
  } catch {
    return when.toLocaleString(undefined, options); // a zone this browser does not know
  }
}
export const isoDay = (date) => date.toISOString().slice(0, 10);
export function daysAgo(n) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - n);
  return isoDay(d);
}

/**
 * A shipment's status in its one colour (colours.js). `bought={false}` marks a shipment without a label: its
 * status is EasyPost's `unknown`, which to a person means "Not bought".
 */
export function StatusBadge({ status, bought }) {
  if (bought === false && (!status || status === 'unknown')) return html`<span class="badge badge-outline">Not bought</span>`;
  return html`<span class="badge" data-status=${status || 'unknown'} style=${{ backgroundColor: statusColour(status || 'unknown') }}>${label(status)}</span>`;
}

/** The state of a bulk item or an approval (`kind` item / approval) in its kind's colour for that state. */
export function StateBadge({ kind, state, testid }) {
  return html`<span class="badge" data-state=${state} data-testid=${testid} style=${{ backgroundColor: stateColour(kind, state) }}>${state}</span>`;
}

/** Compact money for tiles ("$12.3k"), with the full amount for a title attribute. */
export function compactMoney(value) {
  if (value == null) return { text: '—', full: '—' };
  const full = money(value);
  if (Math.abs(Number(value)) < 10000) return { text: full, full };
  const text = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }).format(Number(value));
  return { text, full };
}

/** A figure for a tile: short enough for one line, the exact value in its title and for screen readers. */
export function Figure({ value, kind = 'money', testid, bad }) {
  const { text, full } = kind === 'money' ? compactMoney(value) : { text: number(value), full: number(value) };
  if (text === full) return html`<p class=${bad ? 'figure bad' : 'figure'} data-testid=${testid}>${text}</p>`;
  return html`<p class=${bad ? 'figure bad' : 'figure'} data-testid=${testid} title=${full} data-full=${full}>
    <span aria-hidden="true">${text}</span><span class="visually-hidden">${full}</span></p>`;
}

/** Field names inside a reason ("must not be before created_from") as the form labels them. */
function humanize(text, labels) {
  return String(text).replace(/\b[a-z][a-z0-9]*(?:(?:_|\.)[a-z0-9]+|\[\d+\])+\b/g,
    (name) => (/[_[]/.test(name) || labels[name] ? `“${fieldLabel(name, labels)}”` : name));
}

/**
 * An API failure as the user should read it: the title, the detail and every field at fault, each named by
 * its label on the form (`labels` maps the API's names to them; other names are turned into words), never
 * by the API's own field name.
 */
export function ProblemBox({ error, labels = {} }) {
  if (!error) return null;
  const problem = error.problem || { title: 'Something went wrong', detail: String(error.message || error) };
  const ep = problem.easypost;
  const params = problem.invalid_params || [];
  // With fields named, the detail only repeats them in the API's words.
  const detail = params.length ? null : problem.detail;
  return html`<div class="problem" role="alert">
    <strong>${problem.title}</strong>${detail ? html`: ${humanize(detail, labels)}` : ''}
    ${params.length ? html`<ul>${params.map((p) => html`<li><strong>${fieldLabel(p.name, labels)}</strong> ${humanize(p.reason, labels)}</li>`)}</ul>` : ''}
    ${ep?.message ? html`<p><small>EasyPost said: ${ep.message}${ep.code ? ` (${ep.code})` : ''}</small></p>` : ''}
    ${problem.retry_after ? html`<p><small>Retry in ${problem.retry_after} s.</small></p>` : ''}
  </div>`;
}

/** A modal question that must be answered before something irreversible (spending, refunding). */
export function ConfirmDialog({ open, title, children, confirmLabel, busy, onConfirm, onCancel, id }) {
  const ref = useRef();
  useEffect(() => {
    const dialog = ref.current;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return html`<dialog ref=${ref} id=${id} aria-labelledby=${`${id}-title`} onCancel=${(e) => { e.preventDefault(); if (!busy) onCancel(); }}>
    <article>
      <header><h3 id=${`${id}-title`}>${title}</h3></header>
      ${children}
      <footer>
        <button class="secondary" onClick=${onCancel} disabled=${busy}>Cancel</button>
        <button onClick=${onConfirm} aria-busy=${busy ? 'true' : 'false'} disabled=${busy}>${confirmLabel}</button>
      </footer>
    </article>
  </dialog>`;
}

/** A colour for series that are neither carriers nor statuses (colours.js holds those). */
export const PALETTE = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569'];

/** A Chart.js chart on a canvas, rebuilt when its data changes; the label is what a screen reader hears. */
export function Chart({ type, data, options = {}, label: description, tall }) {
  const size = tall ? 'chart chart-tall' : type === 'doughnut' ? 'chart chart-round' : 'chart';
  const canvas = useRef();
  const key = JSON.stringify({ type, data, options });
  useEffect(() => {
    const chart = new window.Chart(canvas.current, {
      type,
      data,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...options },
    });
    return () => chart.destroy();
  }, [key]);
  return html`<div class=${size}><canvas ref=${canvas} role="img" aria-label=${description}></canvas></div>`;
}

export function Loading({ what = 'Loading' }) {
  return html`<p aria-busy="true">${what}…</p>`;
}

/** A labelled input whose error comes from the API's invalid_params (name = the API's field path). */
export function Field({ name, label: text, value, onInput, error, type = 'text', required, ...rest }) {
  const reason = error?.field?.(name);
  return html`<label>
    ${text}${required ? html`<span aria-hidden="true"> *</span>` : ''}
    <input name=${name} id=${name} type=${type} value=${value ?? ''} required=${required}
      aria-invalid=${reason ? 'true' : undefined} aria-describedby=${reason ? `${name}-error` : undefined}
      onInput=${(e) => onInput(e.currentTarget.value)} ...${rest} />
    ${reason ? html`<small id=${`${name}-error`} class="field-error">${humanize(reason, {})}</small>` : ''}
  </label>`;
}
