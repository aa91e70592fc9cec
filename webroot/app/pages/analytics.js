// Spend and volume over a chosen range, by carrier, service and status, as charts and a table.
import { html, useEffect, useState } from '../lib.js';
import { api, download } from '../api.js';
import { Chart, daysAgo, Figure, label, Loading, money, number, PALETTE, ProblemBox } from '../ui.js';
import { byCarrierPerDay } from './overview.js';
import { carrierColour, statusColour } from '../colours.js';
import { carrierName, serviceName } from '../names.js';
import { CarrierPerformance } from './carrier-performance.js';
import { filtersFromHash, hashWith } from '../route.js';

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

const GROUPS = [['', 'Automatic'], ['day', 'Day'], ['week', 'Week'], ['month', 'Month']];

/** Fewest shipments, and least share of the chosen period's, that the previous period needs to be compared with. */
export const MIN_PREVIOUS_SHIPMENTS = 10;
export const MIN_PREVIOUS_SHARE = 0.05;

/**
 * Whether the previous period holds enough to compare with: at least 10 shipments and at least 5% of the chosen
 * period's. Below that a percentage says more about the gap in the data than about the business (32 shipments
 * before 20,000 read as "+62396.9%").
 */
export function comparable(current, previous) {
  const before = Number(previous?.shipments ?? 0);
  return before >= MIN_PREVIOUS_SHIPMENTS && before >= MIN_PREVIOUS_SHARE * Number(current?.shipments ?? 0);
}

/** The change from the previous period, as "+12.5%"; "n/a" when that period is too small to compare with. */
export function change(now, before, enough = true) {
  const n = Number(now);
  const b = Number(before);
  if (!n && !b) return 'no change';
  if (!enough || !b) return 'n/a';
  const pct = ((n - b) / b) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

function Tile({ title, now, before, enough, kind = 'money', testid }) {
  const format = kind === 'money' ? money : number;
  const why = enough ? undefined : `The previous period has fewer than ${MIN_PREVIOUS_SHIPMENTS} shipments or under `
    + `${MIN_PREVIOUS_SHARE * 100}% of this period's: too little to compare with.`;
  return html`<article class="tile"><small>${title}</small><${Figure} kind=${kind} value=${now} testid=${testid} />
    <small class="delta" title=${why} data-testid=${testid && `${testid}-change`}>${`${change(now, before, enough)} (previous period: ${format(before)})`}</small></article>`;
}

/** The range the address asks for (`#/analytics?days=365&group=week`, or `from` and `to`); the last 30 days without one. */
function rangeFromHash() {
  const f = filtersFromHash({ days: '', from: '', to: '', group: '' });
  const query = f.from || f.to ? { from: f.from, to: f.to } : { days: f.days || 30 };
  return { query, group: f.group };
}

/** Spend per bucket stacked by carrier, with the previous period's total spend beside it as a lighter line. */
function spendWithPrevious(data) {
  const chart = byCarrierPerDay(data.days, 'spend');
  chart.datasets.push({
    type: 'line', label: `Previous period (${data.previous.from} to ${data.previous.to})`, stack: 'previous',
    data: data.previous.days.map((d) => Number(d.spend)),
    borderColor: 'rgba(120, 120, 120, 0.6)', backgroundColor: 'rgba(120, 120, 120, 0.25)', borderDash: [6, 4], pointRadius: 2,
  });
  return chart;
}

export function Analytics() {
  // The range lives in the address, as the shipment list's filters do: a reload, a bookmark or a shared link shows it.
  const [initial] = useState(rangeFromHash);
  const [query, setQuery] = useState(initial.query);
  const [group, setGroup] = useState(initial.group);
  const [form, setForm] = useState({ from: initial.query.from || daysAgo(29), to: initial.query.to || daysAgo(0) });
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    setError(null);
    const params = new URLSearchParams(query.days ? { days: query.days } : { from: query.from, to: query.to });
    [...params.keys()].filter((k) => !params.get(k).trim()).forEach((k) => params.delete(k));
    if (group) params.set('group', group);
    api(`/analytics?${params}`).then((answer) => {
      setData(answer);
      setForm({ from: answer.from, to: answer.to });
    }, (e) => { setData(null); setError(e); });
  }, [query, group]);

  // the range the answer covers (days of the business's time zone), one row per day (or per chosen week or month),
  // carrier, service and status
  async function downloadCsv() {
    setDownloading(true);
    setError(null);
    try {
      await download(`/analytics/export.csv?from=${data?.from ?? form.from}&to=${data?.to ?? form.to}${group ? `&group=${group}` : ''}`, 'analytics.csv');
    } catch (e) {
      setError(e);
    } finally {
      setDownloading(false);
    }
  }

  // Writing the address remounts the page on it (main.js keys pages by the hash); the same address only reloads.
  function choose(next, nextGroup = group) {
    const hash = hashWith('analytics', { ...next, group: nextGroup });
    if (hash === location.hash) {
      setQuery({ ...next });
      setGroup(nextGroup);
    } else {
      location.hash = hash;
    }
  }
  const quick = (days) => () => choose({ days });
  const t = data?.totals;
  const p = data?.previous?.totals;
  const enough = comparable(t, p);
  const byCarrier = t ? Object.entries(t.by_carrier).sort((a, b) => Number(b[1].spend) - Number(a[1].spend)) : [];
  const byService = t ? Object.entries(t.by_service).sort((a, b) => Number(b[1].spend) - Number(a[1].spend))
    .map(([key, b]) => [key, { ...b, name: serviceLabel(key) }]) : [];
  const byStatus = t ? Object.entries(t.by_status).sort((a, b) => b[1] - a[1]) : [];
  const zone = data?.time_zone ?? 'the business time zone';
  return html`
    <h1>Analytics</h1>
    <form class="filters" onSubmit=${(e) => { e.preventDefault(); choose({ from: form.from, to: form.to }); }}
      aria-label=${`Date range (${zone})`}>
      <div class="grid">
        <label>From<input type="date" id="from" required value=${form.from} onInput=${(e) => setForm({ ...form, from: e.currentTarget.value })} /></label>
        <label>To<input type="date" id="to" required value=${form.to} onInput=${(e) => setForm({ ...form, to: e.currentTarget.value })} /></label>
        <label>Group by<select id="group" value=${group} onChange=${(e) => choose(query, e.currentTarget.value)}>
          ${GROUPS.map(([value, text]) => html`<option value=${value}>${text}</option>`)}</select></label>
      </div>
      <div class="actions">
        <button type="submit">Show</button>
        <button type="button" class="secondary outline" onClick=${quick(7)}>7 days</button>
        <button type="button" class="secondary outline" onClick=${quick(30)}>30 days</button>
        <button type="button" class="secondary outline" onClick=${quick(90)}>90 days</button>
        <button type="button" class="secondary outline" onClick=${quick(365)}>1 year</button>
        <button type="button" data-testid="download-analytics" class="outline" disabled=${downloading}
          aria-busy=${downloading ? 'true' : 'false'} onClick=${downloadCsv}>Download CSV</button>
      </div>
      ${data ? html`<p><small data-testid="time-zone">${`Days in ${data.time_zone} time, by ${data.group}; compared with ${data.previous.from} to ${data.previous.to}.`}</small></p>` : ''}
    </form>
    <${ProblemBox} error=${error} />
    ${!data && !error ? html`<${Loading} what="Loading analytics" />` : ''}
    ${t ? html`
      <section class="tiles" aria-label="Totals, with the change from the previous period">
        <${Tile} title="Shipments" kind="count" now=${t.shipments} before=${p.shipments} enough=${enough} testid="total-shipments" />
        <${Tile} title="Labels" kind="count" now=${t.labels} before=${p.labels} enough=${enough} />
        <${Tile} title="Spend" now=${t.spend} before=${p.spend} enough=${enough} testid="total-spend" />
        <${Tile} title="Average cost per label" now=${t.average_cost} before=${p.average_cost} enough=${enough} />
      </section>
      <section>
        <h2>Spend per ${data.group} by carrier</h2>
        <${Chart} type="bar" label=${`Spend per ${data.group}, stacked by carrier, with the previous period as a line`}
          data=${spendWithPrevious(data)}
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
    ${data ? html`<${CarrierPerformance} from=${data.from} to=${data.to} />` : ''}`;
}
