// Bulk: upload a CSV, choose a buy strategy, watch the job's live progress, then read (and download) the
// per-row results, and print the job's labels as one document. The job's address (#/bulk/<id>, or #/jobs/<id> as the
// API's Location names it) survives a reload; the job itself runs on the server. Below the upload, every job, newest
// first (GET /jobs), so a job whose address was lost can be opened again.
// Rows are numbered by the line of the CSV file they came from (header = line 1), as the API numbers them in
// upload errors and in each item's `line`, so "line 7" is line 7 of the operator's file everywhere.
// A job that buys labels starts only after a confirmation showing how many labels and an estimated total.
import { html, useEffect, useState } from '../lib.js';
import { api, download, newIdempotencyKey, request, streamEvents } from '../api.js';
import { ConfirmDialog, dateTime, daysAgo, Loading, money, number, ProblemBox, StateBadge } from '../ui.js';
import { batchDocument, openDocument } from '../printing.js';
import { OUTCOME_COLOURS } from '../colours.js';
import { carrierService, fieldLabel } from '../names.js';

/** The row number an operator finds in their file: the CSV line, or the item's place in a JSON upload. */
/**
 * Why a job's pending rows wait, one phrase per reason of `GET /jobs/{id}`'s `waiting`: a rate limit, paused calls
 * (an open breaker, a full queue: since when, as an outage can last minutes), a refused API key (since when: it
 * lasts until the operator corrects EASYPOST_API_KEY, then the job goes on by itself).
 */
function waitReasons(w) {
  const rows = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;
  return [
    w.rate_limited ? `${rows(w.rate_limited, 'row', 'rows')} rate limited (EasyPost asked for fewer calls)` : '',
    w.unavailable ? `${rows(w.unavailable, 'row waits', 'rows wait')} for calls to EasyPost to resume${w.unavailable_since ? ` (waiting since ${dateTime(w.unavailable_since)})` : ''}` : '',
    w.key_refused ? `${rows(w.key_refused, 'row waits', 'rows wait')}: EasyPost refused the API key${w.key_refused_since ? ` (since ${dateTime(w.key_refused_since)})` : ''}; they go on once EASYPOST_API_KEY is corrected, tried again every minute` : '',
  ].filter(Boolean);
}

/**
 * Rows in progress and until when the instance working on them holds them (`waiting.held_until`, the latest lease):
 * no instance can tell a dead holder from a slow one, so this is how long at most until they move.
 */
function heldNote(running, heldUntil) {
  const them = running === 1 ? 'it' : 'them';
  return `${number(running)} ${running === 1 ? 'row' : 'rows'} in progress, held by the instance working on ${them} until `
    + `${dateTime(heldUntil)}: if that instance stopped, another takes ${them} up then, and a label it had started buying `
    + 'is read back, never bought twice.';
}

export const rowNumber = (item) => item.line ?? item.position + 1;

/**
 * What a buying job may cost: rows × the average label cost of the last 30 days (of the chosen carriers when
 * named). Actual rates depend on each parcel; null when analytics cannot be read.
 */
async function estimate(rows, carriers) {
  const data = await api(`/analytics?from=${daysAgo(29)}&to=${daysAgo(0)}`);
  const wanted = carriers.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
  const picked = Object.entries(data.totals.by_carrier || {}).filter(([c]) => wanted.length === 0 || wanted.includes(c.toLowerCase()));
  const labels = picked.reduce((n, [, b]) => n + b.labels, 0);
  const spend = picked.reduce((n, [, b]) => n + Math.round(Number(b.spend) * 100), 0);
  if (labels === 0) return null;
  const average = Math.round(spend / labels);
  return { average: (average / 100).toFixed(2), total: ((average * rows) / 100).toFixed(2) };
}

const SHOWN_ROWS = 500;

function Upload() {
  const [file, setFile] = useState(null);
  const [rows, setRows] = useState(null);
  const [strategy, setStrategy] = useState('');
  const [carriers, setCarriers] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(null); // { rows, estimate } before a buying job starts

  function choose(e) {
    const chosen = e.currentTarget.files[0] || null;
    setFile(chosen);
    setRows(null);
    setError(null);
    if (chosen) {
      window.Papa.parse(chosen, { header: true, skipEmptyLines: true, complete: (r) => setRows(r.data.length) });
    }
  }

  /** A buying job asks first, with the number of labels and an estimated total; creating only starts at once. */
  async function submit(e) {
    e.preventDefault();
    if (!strategy) {
      upload();
      return;
    }
    setBusy(true);
    setError(null);
    const count = rows ?? 0;
    const guess = await estimate(count, strategy && carriers).catch(() => null);
    setBusy(false);
    setConfirming({ rows: count, estimate: guess });
  }

  async function upload() {
    setBusy(true);
    setError(null);
    const params = new URLSearchParams();
    if (strategy) params.set('buy', strategy);
    if (strategy && carriers.trim()) params.set('carriers', carriers.trim());
    try {
      const res = await request(`/shipments/bulk-create?${params}`, {
        method: 'POST', body: await file.text(), contentType: 'text/csv', idempotencyKey: newIdempotencyKey(),
      });
      const job = await res.json();
      location.hash = `#/bulk/${job.id}`;
    } catch (err) {
      setError(err);
      setBusy(false);
      setConfirming(null);
    }
  }

  return html`
    <h1>Bulk shipments</h1>
    <p>One shipment per CSV row, up to 10,000 rows. <a href="/app/bulk-template.csv" download="shipgate-bulk-template.csv">Download the CSV template</a>${' '}
      (required columns: to_street1, to_city, to_zip, from_street1, from_city, from_zip, weight).</p>
    <form onSubmit=${submit}>
      <label>CSV file<input type="file" id="bulk-file" accept=".csv,text/csv" required onChange=${choose} /></label>
      ${rows != null ? html`<p role="status"><small>${number(rows)} data rows in ${file.name}.</small></p>` : ''}
      <div class="grid">
        <label>Labels<select id="bulk-strategy" value=${strategy} onChange=${(e) => setStrategy(e.currentTarget.value)}>
          <option value="">Create shipments only (buy later)</option>
          <option value="cheapest">Buy the cheapest rate</option>
          <option value="fastest">Buy the fastest rate</option>
        </select></label>
        <label>Only these carriers <small>(comma-separated, optional)</small>
          <input value=${carriers} disabled=${!strategy} placeholder="USPS, UPS" onInput=${(e) => setCarriers(e.currentTarget.value)} /></label>
      </div>
      ${strategy ? html`<p class="warning"><small>Buying spends money for every row that gets a rate.</small></p>` : ''}
      <${ProblemBox} error=${error} labels=${BULK_LABELS} />
      <button type="submit" disabled=${!file || busy || (strategy && rows == null)} aria-busy=${busy ? 'true' : 'false'}>Start the job</button>
    </form>
    <${ConfirmDialog} id="confirm-bulk-buy" open=${Boolean(confirming)} busy=${busy} title="Buy these labels?"
      confirmLabel=${confirming ? `Buy ${number(confirming.rows)} labels` : 'Buy'} onCancel=${() => setConfirming(null)} onConfirm=${upload}>
      ${confirming ? html`<p data-testid="bulk-buy-summary">This spends money: up to <strong>${number(confirming.rows)} labels</strong>,
          the ${strategy} rate of each row${carriers.trim() ? ` from ${carriers.trim()}` : ''}.</p>
        ${confirming.estimate ? html`<p>Estimated total <strong data-testid="bulk-buy-estimate">${money(confirming.estimate.total)}</strong>${' '}
          <small>(${number(confirming.rows)} × ${money(confirming.estimate.average)}, the average label of the last 30 days; each row's own rates decide)</small></p>`
          : html`<p data-testid="bulk-buy-estimate">No estimate: no labels were bought in the last 30 days to compare with.</p>`}` : ''}
    <//>`;
}

function downloadCsv(name, records) {
  const blob = new Blob([window.Papa.unparse(records)], { type: 'text/csv' });
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** An item's failure in a table cell: its title and each field at fault, named for a person. */
function ProblemText({ problem }) {
  const params = problem.invalid_params || [];
  return html`${problem.title}${params.length ? `: ${params.map((p) => `${fieldLabel(p.name, BULK_LABELS)} ${p.reason}`).join('; ')}`
    : problem.detail ? `: ${problem.detail}` : ''}`;
}

/** The buy options' names as the upload form labels them. */
const BULK_LABELS = { services: 'Services', carriers: 'Only these carriers', buy: 'Labels', body: 'CSV file' };

function Job({ id }) {
  const [progress, setProgress] = useState(null);
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [printing, setPrinting] = useState(false);
  const [printError, setPrintError] = useState(null);
  const [downloading, setDownloading] = useState(false);
  const [round, setRound] = useState(0);
  const finished = progress && progress.state !== 'running';

  async function printAll() {
    setPrinting(true);
    setPrintError(null);
    try {
      await openDocument(batchDocument({ bulk_job_id: id }).then((b) => b.label_url));
    } catch (e) {
      setPrintError(e);
    } finally {
      setPrinting(false);
    }
  }

  useEffect(() => {
    const abort = new AbortController();
    const path = `/jobs/${encodeURIComponent(id)}`;
    const poll = () => api(path + '?limit=1').then((r) => {
      setProgress(r.job);
      if (r.job.state === 'running' && !abort.signal.aborted) setTimeout(poll, 2000);
    }, setError);
    streamEvents(`${path}/events`, (event, data) => {
      if (event === 'progress' || event === 'done') setProgress(data);
    }, abort.signal).catch((e) => {
      if (e.name === 'AbortError') return;
      if (e.status === 404) setError(e);
      else poll(); // the stream broke (a proxy timeout, say): keep watching by polling
    });
    return () => abort.abort();
  }, [id, round]);

  useEffect(() => {
    if (finished) api(`/jobs/${encodeURIComponent(id)}?limit=10000`).then((r) => setItems(r.items), setError);
  }, [finished]);

  async function downloadResults() {
    setDownloading(true);
    setPrintError(null);
    try {
      await download(`/jobs/${encodeURIComponent(id)}/export.csv`, `job-${id}-results.csv`);
    } catch (e) {
      setPrintError(e);
    } finally {
      setDownloading(false);
    }
  }

  async function retryFailed() {
    try {
      setProgress(await api(`/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' }));
      setItems(null);
      setRound((r) => r + 1); // follow the job's events again
    } catch (e) {
      setPrintError(e);
    }
  }

  async function cancel() {
    try {
      setProgress(await api(`/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' }));
    } catch (e) {
      setError(e);
    }
  }

  if (error) return html`<h1>Bulk job</h1><${ProblemBox} error=${error} /><p><a href="#/bulk">Start another job</a></p>`;
  if (!progress) return html`<h1>Bulk job</h1><${Loading} what="Connecting to the job" />`;
  const c = progress.counts;
  const w = progress.waiting;
  const done = c.succeeded + c.failed + c.cancelled;
  const failures = (items || []).filter((i) => i.state === 'failed');
  const share = (n) => (progress.total ? (100 * n) / progress.total : 0);
  const outcome = [`${number(c.succeeded)} succeeded`, `${number(c.failed)} failed`, ...(c.cancelled ? [`${number(c.cancelled)} cancelled`] : [])].join(', ');
  const headline = finished ? `${progress.state === 'completed' && c.failed ? 'Completed with failures' : `Finished: ${progress.state}`}: ${outcome}`
    : `Working… ${number(done)} of ${number(progress.total)} rows (${progress.percent}%)`;
  return html`
    <h1>Bulk job</h1>
    <p><small>Job <code>${id}</code>${progress.buy_strategy ? ` · buying the ${progress.buy_strategy} rate` : ' · creating shipments only'}</small></p>
    <p id="job-progress-label" data-testid="job-headline" class=${finished && c.failed ? 'stat-failed' : ''}>${headline}</p>
    <div class="job-bar" id="job-progress" role="progressbar" aria-labelledby="job-progress-label" aria-valuemin="0" aria-valuemax="100"
      aria-valuenow=${progress.percent} aria-valuetext=${`${progress.percent}% done: ${outcome}`}>
      <span data-outcome="succeeded" style=${{ width: `${share(c.succeeded)}%`, backgroundColor: OUTCOME_COLOURS.succeeded }}></span>
      <span data-outcome="failed" style=${{ width: `${share(c.failed)}%`, backgroundColor: OUTCOME_COLOURS.failed }}></span>
      <span data-outcome="cancelled" style=${{ width: `${share(c.cancelled)}%`, backgroundColor: OUTCOME_COLOURS.cancelled }}></span>
    </div>
    <p role="status" aria-live="polite" data-testid="job-counts">
      ${number(c.succeeded)} succeeded · <span class=${c.failed ? 'stat-failed' : ''}>${number(c.failed)} failed</span> · ${number(c.cancelled)} cancelled · ${number(c.pending + c.running)} to go
    </p>
    ${!finished && w && (w.rate_limited || w.unavailable || w.key_refused) ? html`<p data-testid="job-waiting"><small>Waiting on EasyPost:${' '}
      ${waitReasons(w).join('; ')}${w.next_attempt_at ? ` · next attempt ${dateTime(w.next_attempt_at)}` : ''}.
      Nothing is lost: these rows are tried again, and a rate limit never fails a row.</small></p>` : ''}
    ${!finished && w && w.held_until && c.running ? html`<p data-testid="job-held"><small>${heldNote(c.running, w.held_until)}</small></p>` : ''}
    <div class="actions">
      ${finished ? html`<a role="button" class="secondary" href="#/bulk">Start another job</a>`
        : html`<button class="secondary outline" onClick=${cancel}>Cancel the rest</button>`}
      ${finished && progress.state === 'completed' && c.failed > 0 ? html`<button data-testid="retry-failed" class="outline" onClick=${retryFailed}>
          Retry ${number(c.failed)} failed ${c.failed === 1 ? 'row' : 'rows'}</button>` : ''}
      ${finished && c.succeeded > 0 ? html`<button data-testid="print-job-labels" onClick=${printAll} disabled=${printing}
          aria-busy=${printing ? 'true' : 'false'}>Print all labels</button>` : ''}
      ${failures.length ? html`<button class="outline" onClick=${() => downloadCsv(`shipgate-job-${id}-failures.csv`, failures.map((f) => ({
          line: rowNumber(f), reference: f.reference ?? '', error: f.error?.title ?? '', detail: f.error?.detail ?? '',
          fields: (f.error?.invalid_params || []).map((p) => `${p.name}: ${p.reason}`).join('; '),
        })))}>Download ${number(failures.length)} failures as CSV</button>` : ''}
      ${finished ? html`<button data-testid="download-job-results" class="secondary" onClick=${downloadResults} disabled=${downloading}
          aria-busy=${downloading ? 'true' : 'false'}>Download all ${number(progress.total)} results as CSV</button>` : ''}
    </div>
    <${ProblemBox} error=${printError} />
    ${finished && !items ? html`<${Loading} what="Loading the results" />` : ''}
    ${items ? html`
      <h2>Results</h2>
      ${items.length > SHOWN_ROWS ? html`<p><small>Showing the first ${SHOWN_ROWS} of ${number(items.length)} rows; every row is in the results CSV.</small></p>` : ''}
      <div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Job results">
        <thead><tr><th scope="col" class="num">${items.every((i) => i.line != null) ? 'Line' : 'Item'}</th><th scope="col">Result</th><th scope="col">Reference</th><th scope="col">Shipment</th>
          <th scope="col">Label</th><th scope="col" class="num">Rate</th><th scope="col">Error</th></tr></thead>
        <tbody>${items.slice(0, SHOWN_ROWS).map((i) => html`<tr>
          <td class="num">${rowNumber(i)}</td>
          <td><${StateBadge} kind="item" state=${i.state} /></td>
          <td>${i.reference ?? '—'}</td>
          <td>${i.shipment_id ? html`<a href=${`#/shipments/${i.shipment_id}`}>open</a>` : '—'}</td>
          <td>${i.tracking_code ? html`${carrierService(i.carrier, i.service)} <code>${i.tracking_code}</code>` : html`<span class="muted">${i.shipment_id ? 'Label not bought' : '—'}</span>`}</td>
          <td class="num">${money(i.rate)}</td>
          <td>${i.error ? html`<${ProblemText} problem=${i.error} />` : ''}</td></tr>`)}</tbody>
      </table></div>` : ''}`;
}

const JOB_STATES = ['running', 'completed', 'cancelled'];

/** Earlier jobs, newest first, 20 a page (the API's keyset paging), filtered by state; each opens at #/jobs/<id>. */
function JobList() {
  const [state, setState] = useState('');
  const [cursors, setCursors] = useState([null]);
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    const params = new URLSearchParams({ limit: '20' });
    if (state) params.set('state', state);
    if (cursor) params.set('cursor', cursor);
    setError(null);
    api(`/jobs?${params}`).then(setPage, (e) => { setPage(null); setError(e); });
  }, [state, cursor]);
  return html`
    <h2>Jobs</h2>
    <label>State<select id="jobs-state" value=${state} onChange=${(e) => { setState(e.currentTarget.value); setCursors([null]); }}>
      <option value="">Any state</option>
      ${JOB_STATES.map((s) => html`<option value=${s}>${s}</option>`)}
    </select></label>
    <${ProblemBox} error=${error} />
    ${!page && !error ? html`<${Loading} what="Loading the jobs" />` : ''}
    ${page && page.jobs.length === 0 ? html`<p data-testid="jobs-empty">No jobs${state ? ` ${state}` : ''} yet.</p>` : ''}
    ${page && page.jobs.length ? html`<div class="overflow-auto" tabindex="0"><table class="striped" aria-label="Bulk jobs" data-testid="jobs-table">
      <thead><tr><th scope="col">Started</th><th scope="col">State</th><th scope="col" class="num">Rows</th>
        <th scope="col">Outcome</th><th scope="col">Labels</th><th scope="col">By</th></tr></thead>
      <tbody>${page.jobs.map((j) => html`<tr data-job=${j.id}>
        <td><a href=${`#/jobs/${j.id}`}>${dateTime(j.created_at)}</a></td>
        <td><${StateBadge} kind="job" state=${j.state} /></td>
        <td class="num">${number(j.total)}</td>
        <td>${number(j.counts.succeeded)} succeeded · <span class=${j.counts.failed ? 'stat-failed' : ''}>${number(j.counts.failed)} failed</span>${j.counts.cancelled ? ` · ${number(j.counts.cancelled)} cancelled` : ''}${j.state === 'running' ? ` · ${j.percent}%` : ''}</td>
        <td>${j.buy_strategy ? `bought, ${j.buy_strategy}` : 'created only'}</td>
        <td>${j.token_name ?? '—'}</td></tr>`)}</tbody>
    </table></div>` : ''}
    <div class="actions">
      ${cursors.length > 1 ? html`<button class="secondary outline" onClick=${() => setCursors(cursors.slice(0, -1))}>Newer jobs</button>` : ''}
      ${page?.has_more ? html`<button class="secondary outline" data-testid="jobs-older" onClick=${() => setCursors([...cursors, page.next_cursor])}>Older jobs</button>` : ''}
    </div>`;
}

export function Bulk({ id }) {
  return id ? html`<${Job} id=${id} />` : html`<${Upload} /><${JobList} />`;
}
