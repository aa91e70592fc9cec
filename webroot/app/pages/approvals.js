// Purchases above a token's approval threshold, waiting for a person: approve (buys the label) or reject.
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { ConfirmDialog, dateTime, Loading, money, ProblemBox, StateBadge } from '../ui.js';
import { carrierService } from '../names.js';
import { hashParams, hashWith } from '../route.js';

const STATUSES = ['pending', 'approved', 'rejected', 'failed'];

export function Approvals() {
  // The status shown is kept in the address (#/approvals?status=all), so a reload or a shared link keeps it.
  const wanted = hashParams().get('status');
  const [status, setShown] = useState(wanted === 'all' ? '' : wanted ?? 'pending');
  const setStatus = (value) => {
    setShown(value);
    history.replaceState(null, '', hashWith('approvals', { status: value === '' ? 'all' : value }));
  };
  const [approvals, setApprovals] = useState(null);
  const [error, setError] = useState(null);
  const [deciding, setDeciding] = useState(null);
  const [busy, setBusy] = useState(false);
  const load = () => api(`/approvals${status ? `?status=${status}` : ''}`)
    .then((r) => { setApprovals(r.approvals); }, setError);
  useEffect(() => { setApprovals(null); load(); }, [status]);
  async function decide() {
    setBusy(true);
    setError(null);
    try {
      await api(`/approvals/${deciding.approval.id}/${deciding.action}`, { method: 'POST' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setDeciding(null);
      load();
    }
  }
  const price = (a) => `${money(a.rate.rate)}${a.rate.currency && a.rate.currency !== 'USD' ? ` ${a.rate.currency}` : ''}`;
  // What else the request asked for, bought with it when approved: insurance (its fee counts too) and the label's format.
  const extras = (a) => [a.insurance ? `insured for ${money(a.insurance)}, up to ${money(a.cost)} in all` : '',
    a.label_format ? `as ${a.label_format.toUpperCase()}` : ''].filter(Boolean).join(', ');
  return html`
    <h1>Approvals</h1>
    <label>Status
      <select id="approval-status" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}<option value="">all</option>
      </select>
    </label>
    <${ProblemBox} error=${error} />
    ${!approvals ? html`<${Loading} what="Loading approvals" />` : approvals.length === 0 ? html`<p>No ${status} approvals.</p>`
      : html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Approvals">
      <thead><tr><th scope="col">Asked</th><th scope="col">By</th><th scope="col">Shipment</th><th scope="col">Carrier and service</th>
        <th scope="col" class="num">Price</th><th scope="col">Status</th><th scope="col">Decision</th></tr></thead>
      <tbody>${approvals.map((a) => html`<tr data-approval=${a.id}>
        <td>${dateTime(a.created_at)}</td><td>${a.requested_by}</td>
        <td><a href=${`#/shipments/${a.shipment_id}`}>${a.shipment_id.slice(0, 8)}</a></td>
        <td>${carrierService(a.rate.carrier, a.rate.service)}</td><td class="num" data-testid="approval-price">${price(a)}${extras(a) ? html`<br /><small>${extras(a)}</small>` : ''}</td>
        <td><${StateBadge} kind="approval" state=${a.status} testid="approval-status" />
          ${a.tracking_code ? html` <code>${a.tracking_code}</code>` : ''}${a.problem ? html` <small>${a.problem.title}</small>` : ''}</td>
        <td>${a.status === 'pending' ? html`
          <button class="compact" onClick=${() => setDeciding({ approval: a, action: 'approve' })} aria-label=${`Approve ${price(a)} for ${a.requested_by}`}>Approve</button>
          <button class="outline secondary compact" onClick=${() => setDeciding({ approval: a, action: 'reject' })} aria-label=${`Reject ${price(a)} for ${a.requested_by}`}>Reject</button>`
          : dateTime(a.decided_at)}</td>
      </tr>`)}</tbody>
    </table></div>`}
    <${ConfirmDialog} id="decide-approval" open=${Boolean(deciding)} busy=${busy} onConfirm=${decide} onCancel=${() => setDeciding(null)}
      title=${deciding?.action === 'approve' ? 'Approve and buy this label?' : 'Reject this purchase?'}
      confirmLabel=${deciding?.action === 'approve' ? `Approve and buy for ${deciding ? price(deciding.approval) : ''}` : 'Reject'}>
      ${deciding ? html`<p data-testid="decision-text">${deciding.approval.requested_by} asked to buy${' '}
        ${carrierService(deciding.approval.rate.carrier, deciding.approval.rate.service)} for ${price(deciding.approval)}${extras(deciding.approval) ? ` (${extras(deciding.approval)})` : ''}.${deciding.action === 'approve'
          ? ' Approving spends money, counted against that token\'s daily limit.' : ''}</p>` : ''}
    </${ConfirmDialog}>`;
}
