// Carrier performance on the analytics page: how each carrier and service delivered for this account over the
// chosen range (parcels delivered on those days of the business time zone), from GET /analytics/carriers.
import { html, useEffect, useState } from '../lib.js';
import { api } from '../api.js';
import { Chart, Loading, number, ProblemBox } from '../ui.js';
import { carrierColour } from '../colours.js';
import { carrierName, serviceName } from '../names.js';

const percent = (share) => (share == null ? '—' : `${(share * 100).toFixed(1)} %`);
const days = (value) => (value == null ? '—' : value.toFixed(1));

function Row({ carrier, figures, service }) {
  return html`<tr data-carrier=${carrier} data-service=${service ?? ''}>
    <td>${service ? '' : html`<strong>${carrier ? carrierName(carrier) : '—'}</strong>`}</td><td>${service ? serviceName(carrier, service) : html`<small>all services</small>`}</td>
    <td class="num">${number(figures.delivered)}</td>
    <td class="num" data-testid="on-time-share">${percent(figures.on_time_share)}<small> of ${number(figures.with_estimate)}</small></td>
    <td class="num">${days(figures.transit_days_p50)}</td><td class="num">${days(figures.transit_days_p90)}</td>
    <td class="num">${days(figures.days_to_first_scan_p50)}</td>
  </tr>`;
}

export function CarrierPerformance({ from, to }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setError(null);
    setData(null);
    api(`/analytics/carriers?from=${from}&to=${to}`).then(setData, setError);
  }, [from, to]);
  return html`<section aria-labelledby="carrier-performance-title">
    <h2 id="carrier-performance-title">Carrier performance</h2>
    ${data ? html`<p><small data-testid="carrier-time-zone">${`Parcels delivered ${from} to ${to}, days in ${data.time_zone} time.`}</small></p>` : ''}
    <p><small>Parcels delivered in the range. On time means delivered by the day the bought rate promised, else the
      tracker's first estimate; transit runs from the first carrier scan to delivery, in days.</small></p>
    <${ProblemBox} error=${error} />
    ${!data ? (error ? '' : html`<${Loading} what="Loading carrier performance" />`) : data.carriers.length === 0
      ? html`<p>No parcels were delivered in this range.</p>`
      : html`
        <${Chart} type="bar" label="On-time share by carrier, in percent" data=${{
          labels: data.carriers.map((c) => carrierName(c.carrier)),
          datasets: [{ label: 'On time (%)', data: data.carriers.map((c) => (c.overall.on_time_share ?? 0) * 100),
            backgroundColor: data.carriers.map((c) => carrierColour(c.carrier)) }],
        }} options=${{ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 100 } } }} />
        <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Carrier performance" data-testid="carrier-performance">
          <thead><tr><th scope="col">Carrier</th><th scope="col">Service</th><th scope="col" class="num">Delivered</th>
            <th scope="col" class="num">On time</th><th scope="col" class="num">Transit days p50</th>
            <th scope="col" class="num">Transit days p90</th><th scope="col" class="num">Days to first scan</th></tr></thead>
          <tbody>${data.carriers.map((c) => html`
            <${Row} carrier=${c.carrier} figures=${c.overall} />
            ${c.services.map((s) => html`<${Row} carrier=${c.carrier} service=${s.service} figures=${s} />`)}`)}</tbody>
        </table></div>`}
  </section>`;
}
