// Spend and volume over a chosen range, by carrier, service and status, as charts and a table.
import { html, useEffect, useState } from '../lib.js';
import { api, download } from '../api.js';
import { Chart, daysAgo, Figure, label, Loading, money, number, PALETTE, ProblemBox } from '../ui.js';
import { byCarrierPerDay } from './overview.js';
import { carrierColour, statusColour } from '../colours.js';
import { carrierName, serviceName } from '../names.js';
import { CarrierPerformance } from './carrier-performance.js';

const avg = (b) => (b.labels ? Number(b.spend) / b.labels : null);

/** The API keys services by EasyPost's code (`FEDEX_GROUND`); shown as the carrier sells them. */
const serviceLabel = (key) => serviceName(null, key);

function BreakdownTable({ title, rows }) {
  return html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label=${title}>
    <thead><tr><th scope="col">${title}</th><th scope="col" class="num">Shipments</th><th scope="col" class="num">Labels</th>
      <th scope="col" class="num">Spend</th><th scope="col" class="num">Average per label</th></tr></thead>
    <tbody>${rows.map(([name, b]) => html`<tr><td>${b.name ?? name}</td><td class="num">${number(b.shipments)}</td><td class="num">${number(b.labels)}</td>
      <td class="num">${money(b.spend)}</td><td class="num">${money(avg(b))}</td></tr>`)}</tbody>
  </table></div>`;
}

export function Analytics() {
  const [range, setRange] = useState({ from: daysAgo(29), to: daysAgo(0) });
  const [form, setForm] = useState(range);
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    setError(null);
    api(`/analytics?from=${range.from}&to=${range.to}`).then(setData, (e) => { setData(null); setError(e); });
  }, [range]);

  async function downloadCsv() {
    setDownloading(true);
    setError(null);
    try {
      await download(`/analytics/export.csv?from=${range.from}&to=${range.to}`, 'analytics.csv');
    } catch (e) {
      setError(e);
    } finally {
      setDownloading(false);
    }
  }

  const quick = (days) => () => {
    const r = { from: daysAgo(days - 1), to: daysAgo(0) };
    setForm(r);
    setRange(r);
  };
  const t = data?.totals;
  const byCarrier = t ? Object.entries(t.by_carrier).sort((a, b) => Number(b[1].spend) - Number(a[1].spend)) : [];
  const byService = t ? Object.entries(t.by_service).sort((a, b) => Number(b[1].spend) - Number(a[1].spend))
    .map(([key, b]) => [key, { ...b, name: serviceLabel(key) }]) : [];
  const byStatus = t ? Object.entries(t.by_status).sort((a, b) => b[1] - a[1]) : [];
  return html`
    <h1>Analytics</h1>
    <form class="filters" onSubmit=${(e) => { e.preventDefault(); setRange(form); }} aria-label="Date range (UTC)">
      <div class="grid">
        <label>From<input type="date" id="from" required value=${form.from} onInput=${(e) => setForm({ ...form, from: e.currentTarget.value })} /></label>
        <label>To<input type="date" id="to" required value=${form.to} onInput=${(e) => setForm({ ...form, to: e.currentTarget.value })} /></label>
      </div>
      <div class="actions">
        <button type="submit">Show</button>
        <button type="button" class="secondary outline" onClick=${quick(7)}>7 days</button>
        <button type="button" class="secondary outline" onClick=${quick(30)}>30 days</button>
        <button type="button" class="secondary outline" onClick=${quick(90)}>90 days</button>
        <button type="button" data-testid="download-analytics" class="outline" disabled=${downloading}
          aria-busy=${downloading ? 'true' : 'false'} onClick=${downloadCsv}>Download CSV</button>
      </div>
    </form>
    <${ProblemBox} error=${error} />
    ${!data && !error ? html`<${Loading} what="Loading analytics" />` : ''}
    ${t ? html`
      <section class="tiles" aria-label="Totals">
        <article class="tile"><small>Shipments</small><${Figure} kind="count" value=${t.shipments} /></article>
        <article class="tile"><small>Labels</small><${Figure} kind="count" value=${t.labels} /></article>
        <article class="tile"><small>Spend</small><${Figure} value=${t.spend} testid="total-spend" /></article>
        <article class="tile"><small>Average cost per label</small><${Figure} value=${t.average_cost} /></article>
      </section>
      <section>
        <h2>Spend per day by carrier</h2>
        <${Chart} type="bar" label="Spend per day, stacked by carrier" data=${byCarrierPerDay(data.days, 'spend')}
          options=${{ scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }} />
      </section>
      <div class="grid">
        <section>
          <h2>Volume by carrier</h2>
          <${Chart} type="doughnut" label="Shipments by carrier" data=${{
            labels: byCarrier.map(([c]) => carrierName(c)),
            datasets: [{ label: 'Shipments', data: byCarrier.map(([, b]) => b.shipments), backgroundColor: byCarrier.map(([c]) => carrierColour(c)) }],
          }} />
        </section>
        <section>
          <h2>Shipments by status</h2>
          <${Chart} type="doughnut" label="Shipments by status" data=${{
            labels: byStatus.map(([s]) => label(s)),
            datasets: [{ label: 'Shipments', data: byStatus.map(([, n]) => n), backgroundColor: byStatus.map(([st]) => statusColour(st)) }],
          }} />
        </section>
      </div>
      <section>
        <h2>Spend by service</h2>
        <${Chart} type="bar" tall=${byService.length > 8} label="Spend by carrier service" data=${{
          labels: byService.map(([, b]) => b.name),
          datasets: [{ label: 'Spend (USD)', data: byService.map(([, b]) => Number(b.spend)),
            backgroundColor: PALETTE[0] }],
        }} options=${{ indexAxis: 'y', plugins: { legend: { display: false } } }} />
      </section>
      <section>
        <h2>By carrier</h2>
        <${BreakdownTable} title="Carrier" rows=${byCarrier.map(([c, b]) => [c, { ...b, name: carrierName(c) }])} />
        <h2>By service</h2>
        <${BreakdownTable} title="Service" rows=${byService} />
      </section>` : ''}
    <${CarrierPerformance} from=${range.from} to=${range.to} />`;
}
