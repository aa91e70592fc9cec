// Today at a glance, and the last 30 days by carrier.
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { Chart, Figure, Loading, money, number, ProblemBox, StatusBadge, dateTime } from '../ui.js';
import { carrierColour } from '../colours.js';
import { carrierName, carrierService } from '../names.js';

/** Per-day series by carrier for a stacked chart; each carrier in its own colour from colours.js. */
export function byCarrierPerDay(days, metric) {
  const carriers = [...new Set(days.flatMap((d) => Object.keys(d.by_carrier || {})))].sort();
  return {
    labels: days.map((d) => d.date),
    datasets: carriers.map((carrier) => ({
      label: carrierName(carrier),
      data: days.map((d) => Number(d.by_carrier?.[carrier]?.[metric] ?? 0)),
      backgroundColor: carrierColour(carrier),
      borderColor: carrierColour(carrier),
    })),
  };
}

export function Overview() {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    // the last 30 days of the business's time zone, ending on its today (not the browser's)
    Promise.all([
      api('/analytics?days=30'),
      api('/shipments?limit=8'),
      api('/exceptions/summary'),
    ]).then(([range, recent, exceptionQueue]) => setData({ range, today: range.days[range.days.length - 1], recent, exceptionQueue }),
      setError);
  }, []);
  if (error) return html`<${ProblemBox} error=${error} />`;
  if (!data) return html`<${Loading} what="Loading today's figures" />`;
  const { today, range, recent, exceptionQueue } = data;
  // the exceptions queue's open entries, whenever they began: what still waits for someone
  const exceptions = exceptionQueue.open;
  return html`
    <h1>Overview</h1>
    <p><small data-testid="time-zone">Today is ${today.date}; days are in ${range.time_zone} time.</small></p>
    <section class="tiles" aria-label=${`Today (${range.time_zone})`}>
      <article class="tile"><small>Shipments today</small><${Figure} kind="count" value=${today.shipments} testid="today-shipments" /></article>
      <article class="tile"><small>Spend today</small><${Figure} value=${today.spend} testid="today-spend" /></article>
      <article class="tile"><small>Labels bought today</small><${Figure} kind="count" value=${today.labels} /></article>
      <article class="tile"><small><a href="#/exceptions">Open exceptions</a></small><${Figure} kind="count" value=${exceptions}
        bad=${exceptions > 0} testid="open-exceptions" /></article>
    </section>
    <section>
      <h2>Last 30 days by carrier</h2>
      <p><small>${number(range.totals.shipments)} shipments, ${number(range.totals.labels)} labels, ${money(range.totals.spend)} spent.</small></p>
      <${Chart} type="bar" label="Shipments per day for the last 30 days, stacked by carrier"
        data=${byCarrierPerDay(range.days, 'shipments')}
        options=${{ scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }} />
    </section>
    <section>
      <h2>Latest shipments</h2>
      ${recent.shipments.length === 0
        ? html`<p>No shipments yet. <a href="#/new">Create one</a> or <a href="#/bulk">upload a CSV</a>.</p>`
        : html`<div class="overflow-auto" tabindex="0"><table class="striped">
            <thead><tr><th scope="col">Created</th><th scope="col">Recipient</th><th scope="col">Service</th><th scope="col">Status</th><th scope="col">Rate</th></tr></thead>
            <tbody>${recent.shipments.map((s) => html`<tr>
              <td><a href=${`#/shipments/${s.id}`}>${dateTime(s.created_at)}</a></td>
              <td>${s.recipient_name ?? '—'}</td><td>${s.carrier ? carrierService(s.carrier, s.service) : html`<span class="muted">Label not bought</span>`}</td>
              <td><${StatusBadge} status=${s.status} bought=${Boolean(s.tracking_code)} /></td><td>${money(s.rate)}</td></tr>`)}</tbody>
          </table></div>`}
    </section>`;
}
