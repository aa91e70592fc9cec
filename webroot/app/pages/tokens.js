// API tokens for people and agents: scopes, spend limits (USD), the secret shown once, revocation.
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { ConfirmDialog, dateTime, Field, Loading, money, ProblemBox } from '../ui.js';

const SCOPES = [
  ['read', 'read: lists, shipments, tracking, analytics'],
  ['ship', 'ship: create shipments, trackers, bulk jobs'],
  ['buy', 'buy: buy and refund labels'],
  ['admin', 'admin: tokens, approvals, audit'],
];

function NewToken({ onCreated }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState(['read']);
  const [limits, setLimits] = useState({ max_label_cost: '', daily_spend: '', approval_above: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState(null);
  const toggle = (scope, on) => setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  const limit = (field) => (value) => setLimits({ ...limits, [field]: value });
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), scopes };
      for (const [field, value] of Object.entries(limits)) body[field] = value.trim() === '' ? null : value.trim();
      const token = await api('/tokens', { method: 'POST', json: body });
      setCreated(token);
      setName('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<article>
    <header><strong>New token</strong></header>
    <form onSubmit=${submit}>
      <${Field} name="name" label="Name (who or what it is for)" value=${name} onInput=${setName} error=${error} required />
      <fieldset>
        <legend>Scopes</legend>
        ${SCOPES.map(([scope, text]) => html`<label>
          <input type="checkbox" name=${`scope-${scope}`} checked=${scopes.includes(scope)}
            onChange=${(e) => toggle(scope, e.currentTarget.checked)} /> ${text}
        </label>`)}
      </fieldset>
      <div class="grid">
        <${Field} name="max_label_cost" label="Max label cost (USD)" value=${limits.max_label_cost} onInput=${limit('max_label_cost')}
          error=${error} inputmode="decimal" placeholder="no limit" />
        <${Field} name="daily_spend" label="Daily spend (USD, a day of the business time zone)" value=${limits.daily_spend} onInput=${limit('daily_spend')}
          error=${error} inputmode="decimal" placeholder="no limit" />
        <${Field} name="approval_above" label="Approval above (USD)" value=${limits.approval_above} onInput=${limit('approval_above')}
          error=${error} inputmode="decimal" placeholder="never" />
      </div>
      <${ProblemBox} error=${error} />
      <button type="submit" aria-busy=${busy ? 'true' : 'false'} disabled=${busy}>Create token</button>
    </form>
    ${created ? html`<div role="status">
      <p><strong>Token for ${created.name}:</strong> copy it now, it is shown only once.</p>
      <pre><code data-testid="new-token-secret">${created.token}</code></pre>
    </div>` : ''}
  </article>`;
}

export function Tokens() {
  const [tokens, setTokens] = useState(null);
  const [error, setError] = useState(null);
  const [revoking, setRevoking] = useState(null);
  const [busy, setBusy] = useState(false);
  const load = () => api('/tokens').then((r) => { setTokens(r.tokens); setError(null); }, setError);
  useEffect(() => { load(); }, []);
  async function revoke() {
    setBusy(true);
    try {
      await api(`/tokens/${revoking.id}`, { method: 'DELETE' });
      setRevoking(null);
      await load();
    } catch (err) {
      setError(err);
      setRevoking(null);
    } finally {
      setBusy(false);
    }
  }
  return html`
    <h1>Tokens</h1>
    <${NewToken} onCreated=${load} />
    <${ProblemBox} error=${error} />
    ${!tokens ? html`<${Loading} what="Loading tokens" />` : html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Tokens">
      <thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col" class="num">Max label</th>
        <th scope="col" class="num">Daily spend</th><th scope="col" class="num">Spent today</th><th scope="col" class="num">Approval above</th>
        <th scope="col">Created</th><th scope="col">State</th></tr></thead>
      <tbody>${tokens.map((t) => html`<tr data-token=${t.name}>
        <td>${t.name}</td><td>${t.scopes.join(', ')}</td>
        <td class="num">${money(t.max_label_cost)}</td><td class="num">${money(t.daily_spend)}</td>
        <td class="num">${money(t.spent_today)}</td><td class="num">${money(t.approval_above)}</td>
        <td>${dateTime(t.created_at)}</td>
        <td>${t.revoked_at ? html`<span class="badge badge-muted">revoked</span>`
          : html`<button class="outline secondary compact" onClick=${() => setRevoking(t)} aria-label=${`Revoke ${t.name}`}>Revoke</button>`}</td>
      </tr>`)}</tbody>
    </table></div>`}
    <${ConfirmDialog} id="revoke-token" open=${Boolean(revoking)} title="Revoke this token?" confirmLabel="Revoke"
      busy=${busy} onConfirm=${revoke} onCancel=${() => setRevoking(null)}>
      <p>${revoking?.name} stops working on its very next request. This cannot be undone.</p>
    </${ConfirmDialog}>`;
}
