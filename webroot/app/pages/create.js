// A new shipment: both addresses (the sender is remembered on this device), the parcel, an address check
// with EasyPost before rating (its result belongs to the address as checked: any edit clears it, and only an
// address EasyPost verified is offered for use), then the shipment with all its rates.
import { html, useRef, useState } from '../lib.js';
import { fieldLabel } from '../names.js';
import { api, ApiError, newIdempotencyKey } from '../api.js';
import { Field, ProblemBox } from '../ui.js';
import { blankCustoms, customsBody, CustomsFields } from './customs.js';

const ADDRESS_FIELDS = [
  ['name', 'Name'], ['company', 'Company'], ['street1', 'Street', true], ['street2', 'Street (line 2)'],
  ['city', 'City', true], ['state', 'State'], ['zip', 'ZIP / postcode', true], ['country', 'Country (2 letters)'],
  ['phone', 'Phone'], ['email', 'Email', false, 'email'],
];
const FROM_KEY = 'shipgate.from_address';
/** The insured amount chosen here, offered again when the label is bought on the detail page. */
export const insuranceKey = (id) => `shipgate.insurance.${id}`;
const blank = () => ({ country: 'US' });
const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v != null)
  .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));

function AddressFields({ prefix, legend, value, onChange, onEdit, error, verification }) {
  return html`<fieldset>
    <legend><strong>${legend}</strong></legend>
    <div class="grid-form">
      ${ADDRESS_FIELDS.map(([name, text, required, type]) => html`<${Field} name=${`${prefix}.${name}`} label=${text}
        required=${required} type=${type} value=${value[name]} error=${error}
        maxlength=${name === 'country' ? 2 : 200} onInput=${(v) => onEdit({ ...value, [name]: name === 'country' ? v.toUpperCase() : v })} />`)}
    </div>
    ${verification ? html`<${Verification} result=${verification} current=${value} onUse=${(a) => onChange(a)} />` : ''}
  </fieldset>`;
}

/** The check's outcome; "Use this address" only when EasyPost verified an address that differs from the form's. */
function Verification({ result, current, onUse }) {
  if (result instanceof ApiError) return html`<${ProblemBox} error=${result} />`;
  const corrected = ADDRESS_FIELDS.reduce((a, [k]) => (result[k] != null ? { ...a, [k]: result[k] } : a), {});
  const differs = ADDRESS_FIELDS.some(([k]) => corrected[k] != null && String(corrected[k]).trim().toUpperCase() !== String(current[k] ?? '').trim().toUpperCase());
  return html`<div class=${result.deliverable ? 'verified ok' : 'verified bad'} role="status" data-testid="verification">
    ${result.deliverable ? html`<strong>Deliverable.</strong> ` : html`<strong>EasyPost could not confirm this address.</strong> `}
    ${(result.errors || []).map((e) => html`<div><strong>${fieldLabel(e.field)}</strong>: ${e.message}${e.suggestion ? ` (suggestion: ${e.suggestion})` : ''}</div>`)}
    <div><small>${[result.street1, result.city, result.state, result.zip, result.country].filter(Boolean).join(', ')}</small></div>
    ${result.deliverable && differs ? html`<button type="button" class="compact secondary" onClick=${() => onUse({ ...current, ...corrected })}>Use this address</button>` : ''}
  </div>`;
}

export function NewShipment() {
  const [to, setTo] = useState(blank());
  const [from, setFrom] = useState(() => JSON.parse(localStorage.getItem(FROM_KEY) || 'null') || blank());
  const [parcel, setParcel] = useState({ length: '', width: '', height: '', weight: '' });
  const [reference, setReference] = useState('');
  const [customs, setCustoms] = useState(blankCustoms);
  const [declare, setDeclare] = useState(false);
  const [insurance, setInsurance] = useState('');
  const [checks, setChecks] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const current = useRef();
  current.current = { to, from };

  async function verify() {
    setBusy('verify');
    setError(null);
    const check = (address) => api('/addresses/verify', { method: 'POST', json: clean(address) }).catch((e) => e);
    const asked = JSON.stringify({ to, from });
    const [toResult, fromResult] = await Promise.all([check(to), check(from)]);
    // An address edited while EasyPost answered keeps no result: the answer is about the old one.
    const now = current.current;
    setChecks({
      to: JSON.stringify(now.to) === JSON.stringify(JSON.parse(asked).to) ? toResult : undefined,
      from: JSON.stringify(now.from) === JSON.stringify(JSON.parse(asked).from) ? fromResult : undefined,
    });
    setBusy(null);
  }

  async function create(e) {
    e.preventDefault();
    setBusy('create');
    setError(null);
    const numbers = Object.fromEntries(Object.entries(parcel).filter(([, v]) => v !== '').map(([k, v]) => [k, Number(v)]));
    try {
      const shipment = await api('/shipments', {
        method: 'POST', idempotencyKey: key,
        json: { to_address: clean(to), from_address: clean(from), parcel: numbers, reference: reference.trim() || null,
          customs_info: international ? customsBody(customs) : null },
      });
      if (insurance.trim() !== '') sessionStorage.setItem(insuranceKey(shipment.id), insurance.trim());
      localStorage.setItem(FROM_KEY, JSON.stringify(from));
      location.hash = `#/shipments/${shipment.id}`;
    } catch (err) {
      setError(err);
      setBusy(null);
      // A lost answer may hide a created shipment: the retry keeps the key. An answer means the next try is new.
      if (err.status !== 0) setKey(newIdempotencyKey());
    }
  }

  const setNumber = (name) => (v) => setParcel({ ...parcel, [name]: v });
  const international = declare || (to.country || 'US') !== (from.country || 'US');
  return html`
    <h1>New shipment</h1>
    <form onSubmit=${create} noValidate>
      <${AddressFields} prefix="to_address" legend="Ship to" value=${to} onChange=${setTo} error=${error} verification=${checks.to}
        onEdit=${(a) => { setTo(a); setChecks((c) => ({ ...c, to: undefined })); }} />
      <${AddressFields} prefix="from_address" legend="Ship from" value=${from} onChange=${setFrom} error=${error} verification=${checks.from}
        onEdit=${(a) => { setFrom(a); setChecks((c) => ({ ...c, from: undefined })); }} />
      <fieldset>
        <legend><strong>Parcel</strong> <small>(inches and ounces)</small></legend>
        <div class="grid-form">
          ${[['length', 'Length'], ['width', 'Width'], ['height', 'Height'], ['weight', 'Weight (oz)', true]].map(([name, text, required]) => html`
            <${Field} name=${`parcel.${name}`} label=${text} type="number" step="any" min="0" required=${required}
              value=${parcel[name]} error=${error} onInput=${setNumber(name)} />`)}
          <${Field} name="reference" label="Reference (order number)" value=${reference} error=${error} maxlength="100" onInput=${setReference} />
          <${Field} name="insurance" label="Insure for, USD (optional, at purchase)" type="number" step="0.01" min="0"
            value=${insurance} error=${error} onInput=${setInsurance} />
        </div>
        <label><input type="checkbox" name="declare-customs" checked=${international} disabled=${international && !declare}
          onChange=${(e) => setDeclare(e.currentTarget.checked)} /> Declare customs (always between two countries)</label>
      </fieldset>
      ${international ? html`<${CustomsFields} value=${customs} onChange=${setCustoms} error=${error} />` : ''}
      <${ProblemBox} error=${error} />
      <div class="actions">
        <button type="button" class="secondary" onClick=${verify} aria-busy=${busy === 'verify' ? 'true' : 'false'} disabled=${Boolean(busy)}>Verify addresses</button>
        <button type="submit" aria-busy=${busy === 'create' ? 'true' : 'false'} disabled=${Boolean(busy)}>Get rates</button>
      </div>
    </form>`;
}
