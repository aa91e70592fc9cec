// The customs declaration of an international shipment (EasyPost CustomsInfo): contents, what happens if
// delivery fails, the export exemption or AES ITN, the signer, and one row per line of goods. Item values
// (USD) and weights (ounces) are line totals; the API names the field at fault and the error lands on it.
import { html } from '../lib.js';
import { Field } from '../ui.js';

export const CONTENTS_TYPES = ['merchandise', 'gift', 'documents', 'returned_goods', 'sample', 'dangerous_goods',
  'humanitarian_donation', 'other'];
const ITEM_FIELDS = [
  ['description', 'Description', true, 'text'], ['quantity', 'Quantity', true, 'number'],
  ['value', 'Value, USD (line total)', true, 'number'], ['weight', 'Weight, oz (line total)', true, 'number'],
  ['hs_tariff_number', 'HS tariff number', false, 'text'], ['origin_country', 'Made in (2 letters)', true, 'text'],
];

export const blankItem = () => ({ description: '', quantity: '1', value: '', weight: '', hs_tariff_number: '', origin_country: 'US' });
export const blankCustoms = () => ({
  contents_type: 'merchandise', non_delivery_option: 'return', eel_pfc: 'NOEEI 30.37(a)', customs_signer: '',
  customs_certify: true, items: [blankItem()],
});

/** The declaration as the API takes it: numbers as numbers, empty texts left out. */
export function customsBody(c) {
  const text = (v) => (v == null || String(v).trim() === '' ? undefined : String(v).trim());
  return {
    contents_type: c.contents_type, non_delivery_option: c.non_delivery_option, eel_pfc: text(c.eel_pfc),
    customs_signer: text(c.customs_signer), customs_certify: Boolean(c.customs_certify),
    contents_explanation: text(c.contents_explanation),
    customs_items: c.items.map((i) => ({
      description: text(i.description), quantity: i.quantity === '' ? undefined : Number(i.quantity),
      value: i.value === '' ? undefined : Number(i.value), weight: i.weight === '' ? undefined : Number(i.weight),
      hs_tariff_number: text(i.hs_tariff_number), origin_country: text(i.origin_country)?.toUpperCase(),
    })),
  };
}

function Select({ name, label, value, options, onInput }) {
  return html`<label>${label}
    <select name=${name} id=${name} value=${value} onChange=${(e) => onInput(e.currentTarget.value)}>
      ${options.map((o) => html`<option value=${o}>${o.replaceAll('_', ' ')}</option>`)}
    </select></label>`;
}

export function CustomsFields({ value, onChange, error }) {
  const set = (k) => (v) => onChange({ ...value, [k]: v });
  const setItem = (n, k) => (v) => onChange({ ...value, items: value.items.map((it, i) => (i === n ? { ...it, [k]: v } : it)) });
  return html`<fieldset data-testid="customs">
    <legend><strong>Customs</strong> <small>(required between two countries)</small></legend>
    <div class="grid-form">
      <${Select} name="customs_info.contents_type" label="Contents" value=${value.contents_type} options=${CONTENTS_TYPES} onInput=${set('contents_type')} />
      <${Select} name="customs_info.non_delivery_option" label="If undeliverable" value=${value.non_delivery_option}
        options=${['return', 'abandon']} onInput=${set('non_delivery_option')} />
      ${value.contents_type === 'other' ? html`<${Field} name="customs_info.contents_explanation" label="Explain the contents" required
        value=${value.contents_explanation} error=${error} maxlength="255" onInput=${set('contents_explanation')} />` : ''}
      <${Field} name="customs_info.eel_pfc" label="EEL/PFC (AES ITN above $2,500)" value=${value.eel_pfc} error=${error} maxlength="64" onInput=${set('eel_pfc')} />
      <${Field} name="customs_info.customs_signer" label="Signer" value=${value.customs_signer} error=${error} maxlength="100" onInput=${set('customs_signer')} />
      <label><input type="checkbox" name="customs_info.customs_certify" checked=${value.customs_certify}
        onChange=${(e) => set('customs_certify')(e.currentTarget.checked)} /> The signer certifies this declaration</label>
    </div>
    ${value.items.map((item, n) => html`<fieldset class="customs-item">
      <legend>Item ${n + 1}</legend>
      <div class="grid-form">
        ${ITEM_FIELDS.map(([k, text, required, type]) => html`<${Field} name=${`customs_info.customs_items[${n}].${k}`} label=${text}
          required=${required} type=${type} step=${type === 'number' ? 'any' : undefined} min=${type === 'number' ? '0' : undefined}
          value=${item[k]} error=${error} onInput=${setItem(n, k)} />`)}
      </div>
      ${value.items.length > 1 ? html`<button type="button" class="compact secondary outline"
        onClick=${() => onChange({ ...value, items: value.items.filter((_, i) => i !== n) })}>Remove item ${n + 1}</button>` : ''}
    </fieldset>`)}
    <button type="button" class="compact secondary" onClick=${() => onChange({ ...value, items: [...value.items, blankItem()] })}>Add an item</button>
  </fieldset>`;
}
