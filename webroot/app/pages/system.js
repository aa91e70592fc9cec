// What operators need to know: the database, EasyPost (real or simulated) and its breaker, the pools.
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { Loading, number, ProblemBox } from '../ui.js';

const REFRESH_MS = 5000;

function Up({ status }) {
  const up = status === 'UP';
  return html`<span class=${up ? 'badge badge-good' : 'badge badge-bad'}>${up ? 'up' : (status || 'down').toLowerCase()}</span>`;
}

export function System() {
  const [health, setHealth] = useState(null);
  const [error, setError] = useState(null);
  const [checked, setChecked] = useState(null);
  const [carriers, setCarriers] = useState(null);
  const [carrierError, setCarrierError] = useState(null);
  const loadCarriers = (refresh) => api(`/carrier-accounts${refresh ? '?refresh=true' : ''}`)
    .then((c) => { setCarriers(c); setCarrierError(null); }, setCarrierError);
  useEffect(() => { loadCarriers(false); }, []);

  useEffect(() => {
    let timer;
    const load = () => api('/health', { okStatuses: [503] })
      .then((h) => { setHealth(h); setError(null); setChecked(new Date()); }, setError)
      .finally(() => { timer = setTimeout(load, REFRESH_MS); });
    load();
    return () => clearTimeout(timer);
  }, []);

  if (!health) return html`<h1>System</h1>${error ? html`<${ProblemBox} error=${error} />` : html`<${Loading} what="Checking health" />`}`;
  const ep = health.easypost || {};
  const db = health.database || {};
  return html`
    <h1>System <${Up} status=${health.status} /></h1>
    <p><small>Checked ${checked?.toLocaleTimeString()}, every ${REFRESH_MS / 1000} s.${health.draining ? ' This instance is draining for shutdown.' : ''}</small></p>
    <${ProblemBox} error=${error} />
    <div class="grid">
      <article>
        <header><strong>Database</strong> <${Up} status=${db.status} /></header>
        ${db.connections ? html`<p>${number(db.connections.total)} server connections: ${number(db.connections.active)} active, ${number(db.connections.idle)} idle.</p>`
          : html`<p>${db.error ?? 'unreachable'}</p>`}
      </article>
      <article>
        <header><strong>EasyPost</strong> <${Up} status=${ep.status} /> <span class="badge badge-info" data-testid="easypost-mode">${ep.mode}</span></header>
        <dl>
          <dt>Circuit breaker</dt><dd><span class=${ep.breaker === 'CLOSED' ? 'badge badge-good' : 'badge badge-bad'}>${(ep.breaker || '').toLowerCase()}</span></dd>
          <dt>Calls in flight</dt><dd>${number(ep.in_flight)} of ${number(ep.max_concurrency)} (most ever ${number(ep.max_in_flight)}), ${number(ep.queued)} queued</dd>
          ${ep.simulator ? html`<dt>Simulator</dt><dd>${number(ep.simulator.requests)} requests, ${number(ep.simulator.purchases)} labels bought</dd>` : ''}
        </dl>
      </article>
    </div>
    <h2>Connection pools</h2>
    <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Connection pools">
      <thead><tr><th scope="col">Pool</th><th scope="col" class="num">Size</th><th scope="col" class="num">Active</th><th scope="col" class="num">Idle</th><th scope="col" class="num">Waiting</th><th scope="col" class="num">Max</th></tr></thead>
      <tbody>${Object.entries(health.pool || {}).map(([name, p]) => html`<tr><td>${name}</td><td class="num">${number(p.size)}</td>
        <td class="num">${number(p.active)}</td><td class="num">${number(p.idle)}</td><td class="num">${number(p.waiting)}</td><td class="num">${number(p.max)}</td></tr>`)}</tbody>
    </table></div>
    <h2>Carrier accounts</h2>
    <${ProblemBox} error=${carrierError} />
    ${carriers ? html`<p><small>Connected to EasyPost: ${carriers.carriers.join(', ') || 'none'}; read ${new Date(carriers.fetched_at).toLocaleTimeString()}.</small>
      <button class="compact secondary" onClick=${() => loadCarriers(true)}>Refresh</button></p>
      <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Carrier accounts">
        <thead><tr><th scope="col">Carrier</th><th scope="col">Account</th><th scope="col">Type</th><th scope="col">Billing</th></tr></thead>
        <tbody>${carriers.accounts.map((a) => html`<tr><td>${a.carrier}</td><td><code>${a.id}</code></td><td>${a.type ?? '—'}</td><td>${a.billing_type ?? '—'}</td></tr>`)}</tbody>
      </table></div>` : carrierError ? '' : html`<${Loading} what="Reading carrier accounts" />`}
    <p><a href="/docs">API reference (OpenAPI)</a></p>`;
}
