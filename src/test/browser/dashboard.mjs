// Drives the dashboard through nginx in headless Chromium as a shipping clerk would, writes a screenshot
// of every page, and prints what it found as one JSON line (checked by DashboardIT).
// Usage: node dashboard.mjs BASE_URL TOKEN WEBHOOK_SECRET SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, token, webhookSecret, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const findings = { consoleErrors: [], screenshots: [], accessibility: {} };
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BULK_ROWS = 30;
const TIMEOUT = 30_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Playwright gives every launch a fresh, throw-away profile (user data dir) of its own.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function shot(page, name) {
  const file = join(shots, `${String(findings.screenshots.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  findings.screenshots.push(file);
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now (evaluated over CDP, so the page's CSP holds). */
async function audit(page, name) {
  await page.evaluate(axeSource);
  findings.accessibility[name] = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }).then((r) => r.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0]?.target.join(' ') }))));
}

function watch(page) {
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => {
    // Chromium logs every refused request itself: the wrong token (401) and the field-error step (422) are
    // refused on purpose. Anything else is a defect.
    if (m.type() === 'error' && !/responded with a status of (401|422)/.test(m.text())) findings.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => findings.consoleErrors.push(`page error: ${e.message}`));
}

try {
  // Certificates are checked as a clerk's browser checks them: the simulator's documents are served by the
  // service itself (under /sim-files/ on the dashboard's own origin), not by the simulator's HTTPS port.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  /** The status each opened document answered in its tab (null when the browser refused to load it). */
  findings.openedStatuses = [];
  /** Clicks `selector` and answers the URL of the document it opens (a new tab sent to a label file). */
  const opened = async (selector, pattern) => {
    const asked = context.waitForEvent('request', { predicate: (r) => pattern.test(r.url()), timeout: 60_000 });
    const tab = context.waitForEvent('page', { timeout: 60_000 });
    await page.click(selector);
    const request = await asked;
    const response = await request.response().catch(() => null);
    findings.openedStatuses.push(response ? response.status() : `refused: ${request.failure()?.errorText}`);
    const url = request.url();
    await (await tab).close();
    return url;
  };
  const page = await context.newPage();
  watch(page);

  // A wrong token is refused and the sign-in form stays.
  await page.goto(`${base}/`);
  await page.fill('#token', 'sg_not-a-real-token-000000000000000');
  await page.click('button[type=submit]');
  await page.getByText('Token not accepted').waitFor();
  findings.wrongTokenRejected = await page.locator('#token').isVisible();
  await shot(page, 'sign-in-refused');
  await audit(page, 'sign-in-refused');

  // Sign in: the overview with today's tiles and the 30-day chart.
  await page.fill('#token', token);
  await page.keyboard.press('Enter'); // the keyboard alone signs in
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.locator('canvas').first().waitFor();
  findings.overviewCharts = await page.locator('canvas').count();
  findings.overviewZone = (await page.locator('[data-testid=time-zone]').textContent()).trim();
  findings.overviewTilesLabel = await page.locator('section.tiles').first().getAttribute('aria-label');
  await shot(page, 'overview');
  await audit(page, 'overview');

  // New shipment: the API's field errors land on the fields, then verification, then rates.
  await page.click('a[href="#/new"]');
  await page.getByRole('heading', { name: 'New shipment' }).waitFor();
  const fill = (name, value) => page.fill(`[name="${name}"]`, value);
  await fill('to_address.name', 'Dr. Steve Brule');
  await fill('to_address.street1', '179 N Harbor Dr');
  await fill('to_address.city', 'Redondo Beach');
  await fill('to_address.state', 'CA');
  await fill('to_address.zip', '90277');
  await fill('from_address.company', 'EasyPost');
  await fill('from_address.street1', '417 Montgomery Street');
  await fill('from_address.city', 'San Francisco');
  await fill('from_address.state', 'CA');
  await fill('from_address.zip', '94104');
  await fill('parcel.length', '10');
  await fill('parcel.width', '8');
  await fill('parcel.height', '4');
  await page.click('button[type=submit]');
  const weightError = page.locator('[id="parcel.weight-error"]');
  await weightError.waitFor();
  findings.fieldError = await weightError.textContent();
  findings.fieldMarkedInvalid = await page.getAttribute('[name="parcel.weight"]', 'aria-invalid');
  await shot(page, 'new-shipment-field-error');
  await audit(page, 'new-shipment-field-error');
  await fill('parcel.weight', '15.4');
  await fill('reference', 'BROWSER-1');
  await page.click('text=Verify addresses');
  await page.getByText('Deliverable.').first().waitFor();
  findings.verifiedAddresses = await page.getByText('Deliverable.').count();
  await shot(page, 'new-shipment-verified');
  await page.click('button[type=submit]');
  await page.waitForURL(/#\/shipments\/[0-9a-f-]{36}$/);
  findings.shipmentId = page.url().split('/').pop();
  await page.getByRole('table', { name: 'Rates' }).waitFor();
  findings.rates = await page.locator('table[aria-label="Rates"] tbody tr').count();
  await shot(page, 'shipment-rates');

  // Buying asks first, showing the price; cancelling spends nothing, confirming buys once.
  const firstBuy = page.locator('table[aria-label="Rates"] tbody tr').first().getByRole('button', { name: /^Buy/ });
  await firstBuy.click();
  const dialog = page.locator('#confirm-buy');
  await dialog.waitFor({ state: 'visible' });
  findings.confirmText = await dialog.locator('p').first().textContent();
  await shot(page, 'buy-confirmation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  findings.boughtAfterCancel = await page.locator('[data-testid=tracking-code]').count();
  await firstBuy.click();
  await dialog.waitFor({ state: 'visible' });
  await dialog.getByRole('button', { name: /^Buy for/ }).click();
  const code = page.locator('[data-testid=tracking-code]');
  await code.waitFor();
  findings.trackingCode = (await code.textContent()).trim();
  // Print: the label's 4x6 PDF opens in a new tab; a ZPL file is offered for download.
  findings.printedLabelUrl = await opened('[data-testid=print-label]', /\/files\/postage_label\/.+\.pdf$/);
  await page.selectOption('[data-testid=label-format]', 'zpl');
  await page.click('[data-testid=get-label-file]');
  findings.zplLabelUrl = await page.locator('[data-testid=label-file-link]').getAttribute('href');
  await shot(page, 'label-bought');
  await audit(page, 'label-bought');

  // EasyPost reports tracking through a signed webhook; the timeline shows it.
  const event = JSON.stringify({
    id: `evt_browser_${findings.trackingCode}`, object: 'Event', description: 'tracker.updated', mode: 'test',
    result: {
      object: 'Tracker', id: 'trk_browser', tracking_code: findings.trackingCode, status: 'in_transit',
      tracking_details: [
        { object: 'TrackingDetail', status: 'pre_transit', message: 'Label created', datetime: '2026-11-20T10:00:00Z', tracking_location: { city: 'SAN FRANCISCO', state: 'CA', country: 'US' } },
        { object: 'TrackingDetail', status: 'in_transit', message: 'Arrived at Reno hub', datetime: '2026-11-21T08:30:00Z', tracking_location: { city: 'RENO', state: 'NV', country: 'US' } },
      ],
    },
  });
  const hook = await fetch(`${base}/webhooks/easypost`, {
    method: 'POST', body: event, headers: {
      'Content-Type': 'application/json',
      'X-Hmac-Signature': `hmac-sha256-hex=${createHmac('sha256', webhookSecret).update(event).digest('hex')}`,
    },
  });
  findings.webhookStatus = hook.status;
  await page.reload();
  await page.getByText('Arrived at Reno hub').waitFor();
  findings.timelineEvents = await page.locator('.timeline li').count();
  await shot(page, 'tracking-timeline');

  // Tracking page: many codes at once, unknown ones listed apart.
  await page.click('a[href="#/tracking"]');
  await page.fill('#tracking-codes', `${findings.trackingCode}\nNOSUCHCODE123`);
  await page.getByRole('button', { name: /^Track/ }).click();
  await page.getByRole('table', { name: 'Tracking results' }).waitFor();
  findings.trackedStatus = (await page.locator('table[aria-label="Tracking results"] tbody tr .badge').first().textContent()).trim();
  findings.notFoundListed = await page.getByText('NOSUCHCODE123').count() > 0;
  await shot(page, 'tracking');
  await audit(page, 'tracking');

  // Bulk: the template downloads, an upload runs with a live progress bar to 100%, results per row.
  await page.click('a[href="#/bulk"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download the CSV template')]);
  const template = await (await download.createReadStream()).toArray();
  const header = Buffer.concat(template).toString().split('\n')[0];
  findings.templateHeader = header;
  const rows = Array.from({ length: BULK_ROWS }, (_, i) => `BULK-${i + 1},Customer ${i + 1},179 N Harbor Dr,Redondo Beach,CA,90277,EasyPost,417 Montgomery Street,San Francisco,CA,94104,${(4 + (i % 20)).toFixed(1)}`);
  const csv = ['reference,to_name,to_street1,to_city,to_state,to_zip,from_company,from_street1,from_city,from_state,from_zip,weight', ...rows].join('\n');
  const csvFile = join(mkdtempSync(join(tmpdir(), 'shipgate-bulk-')), 'orders.csv');
  writeFileSync(csvFile, csv);
  await page.setInputFiles('#bulk-file', csvFile);
  await page.getByText(`${BULK_ROWS} data rows`).waitFor();
  await page.selectOption('#bulk-strategy', 'cheapest');
  await shot(page, 'bulk-upload');
  await page.click('text=Start the job');
  // A buying job asks first, naming the number of labels.
  await page.locator('#confirm-bulk-buy').getByRole('button', { name: `Buy ${BULK_ROWS} labels` }).click();
  await page.waitForURL(/#\/bulk\/[0-9a-f-]{36}$/);
  const progress = page.locator('#job-progress');
  await progress.waitFor();
  findings.progressSeen = [];
  for (let i = 0; i < 600; i++) {
    const value = Number(await progress.getAttribute('aria-valuenow'));
    if (findings.progressSeen.at(-1) !== value) findings.progressSeen.push(value);
    if (value === 100) break;
    await page.waitForTimeout(100);
  }
  await page.getByRole('table', { name: 'Job results' }).waitFor();
  findings.bulkRows = await page.locator('table[aria-label="Job results"] tbody tr').count();
  findings.bulkSucceeded = await page.locator('table[aria-label="Job results"] .badge[data-state=succeeded]').count();
  findings.jobCounts = (await page.locator('[data-testid=job-counts]').textContent()).trim();
  await page.waitForTimeout(500); // the bar's own transition (Pico CSS) finishes before the screenshot
  await shot(page, 'bulk-done');
  await audit(page, 'bulk-done');
  // The job's labels print as one document (a label batch EasyPost makes in the background).
  findings.jobDocumentUrl = await opened('[data-testid=print-job-labels]', /\/files\/batch_label\/.+\.pdf$/);

  // Analytics: charts and the table over the default range.
  await page.click('a[href="#/analytics"]');
  await page.locator('[data-testid=total-spend]').waitFor();
  await page.locator('canvas').nth(3).waitFor();
  findings.analyticsCharts = await page.locator('canvas').count();
  findings.analyticsSpend = (await page.locator('[data-testid=total-spend]').textContent()).trim();
  findings.chartsDrawn = await page.locator('canvas').evaluateAll((cs) => cs.every((c) => c.width > 0 && c.height > 0));
  findings.analyticsZone = (await page.locator('[data-testid=time-zone]').textContent()).replace(/\s+/g, ' ').trim();
  findings.analyticsSpendChange = (await page.locator('[data-testid=total-spend-change]').textContent()).trim();
  findings.analyticsSeries = await page.locator('canvas').first()
    .evaluate((c) => window.Chart.getChart(c).data.datasets.map((d) => d.label));
  await shot(page, 'analytics');
  await audit(page, 'analytics');
  // The grouping switch: the same 30 days in weeks, still beside the previous period.
  await page.selectOption('#group', 'week');
  await page.getByRole('heading', { name: 'Spend per week by carrier' }).waitFor();
  findings.analyticsWeekBars = await page.locator('canvas').first()
    .evaluate((c) => window.Chart.getChart(c).data.labels.length);
  await shot(page, 'analytics-weeks');

  // Exceptions: a parcel the carrier reports as failed is listed and acknowledged with a note; a delivered one
  // shows in carrier performance on the analytics page.
  const signedHook = (code, n, status, details) => {
    const body = JSON.stringify({ id: `evt_browser_exc_${code}_${n}`, object: 'Event', description: 'tracker.updated', mode: 'test',
      result: { object: 'Tracker', id: 'trk_browser_exc', tracking_code: code, status,
        tracking_details: details.map(([s, at]) => ({ object: 'TrackingDetail', status: s, message: s, datetime: at })) } });
    return fetch(`${base}/webhooks/easypost`, { method: 'POST', body, headers: { 'Content-Type': 'application/json',
      'X-Hmac-Signature': `hmac-sha256-hex=${createHmac('sha256', webhookSecret).update(body).digest('hex')}` } });
  };
  const boughtParcel = async (reference) => {
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const made = await (await fetch(`${base}/api/shipments`, { method: 'POST', headers: auth, body: JSON.stringify({ reference,
      to_address: { name: 'Ada Lovelace', street1: '417 Montgomery St', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
      from_address: { name: 'Warehouse', street1: '1 Dock Rd', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' },
      parcel: { length: 10, width: 8, height: 4, weight: 12 } }) })).json();
    return (await fetch(`${base}/api/shipments/${made.id}/buy`, { method: 'POST', headers: auth,
      body: JSON.stringify({ strategy: 'cheapest' }) })).json();
  };
  const hoursAgo = (h) => new Date(Date.now() - h * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const failed = await boughtParcel('E2E-EXCEPTION');
  findings.exceptionShipment = failed.id;
  await signedHook(failed.tracking_code, 1, 'failure', [['in_transit', hoursAgo(20)], ['failure', hoursAgo(2)]]);
  const delivered = await boughtParcel('E2E-DELIVERED');
  await signedHook(delivered.tracking_code, 1, 'delivered', [['in_transit', hoursAgo(30)], ['delivered', hoursAgo(1)]]);
  await page.click('a[href="#/exceptions"]');
  const exceptionRow = page.locator(`tr[data-exception="${failed.id}"]`);
  await exceptionRow.waitFor();
  findings.exceptionRowText = (await exceptionRow.textContent()).trim();
  await shot(page, 'exceptions');
  await audit(page, 'exceptions');
  await exceptionRow.getByRole('button', { name: /^Acknowledge/ }).click();
  const ackDialog = page.locator('#acknowledge-exception');
  await ackDialog.waitFor({ state: 'visible' });
  await page.fill('#exception-note', 'Called the recipient, new address sent');
  await ackDialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await exceptionRow.waitFor({ state: 'detached' });
  await page.check('#include-acknowledged');
  await exceptionRow.waitFor();
  findings.acknowledgedText = (await exceptionRow.locator('[data-testid=exception-acknowledged]').textContent()).trim();
  await page.click('a[href="#/analytics"]');
  const performance = page.locator('[data-testid=carrier-performance]');
  await performance.waitFor();
  findings.carrierPerformanceRows = await performance.locator('tbody tr').allTextContents();
  await shot(page, 'carrier-performance');
  await audit(page, 'carrier-performance');

  // Shipments: the table, then a search by the bought label's tracking code.
  await page.click('a[href="#/shipments"]');
  await page.getByRole('table', { name: 'Shipments' }).waitFor();
  await page.fill('input[name=q]', findings.trackingCode);
  await page.click('text=Apply');
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Shipments"] tbody tr').length === 1);
  findings.searchRows = await page.locator('table[aria-label="Shipments"] tbody tr').count();
  await shot(page, 'shipments');
  await audit(page, 'shipments');

  // End of day: today's bought labels of a carrier become one scan form with a document to print.
  await page.click('a[href="#/endofday"]');
  await page.getByRole('table', { name: 'Left to manifest today' }).waitFor();
  const make = page.locator('[data-testid^=make-scan-form-]').first();
  findings.scanFormCarrier = (await make.getAttribute('data-testid')).replace('make-scan-form-', '');
  await make.click();
  await page.locator('[data-testid=scan-form-made]').waitFor();
  findings.scanFormMade = (await page.locator('[data-testid=scan-form-made]').textContent()).trim();
  findings.scanFormUrl = await page.locator('[data-testid=new-scan-form] [data-testid=scan-form-link]').getAttribute('href');
  await shot(page, 'end-of-day');
  await audit(page, 'end-of-day');

  // Select two unbought shipments in the list: buying them asks first, showing the total of their cheapest
  // rates; then both are printed together as one document.
  const listed = [];
  for (const reference of ['E2E-SELECT-1', 'E2E-SELECT-2']) {
    const made = await fetch(`${base}/api/shipments`, { method: 'POST', body: JSON.stringify({
      reference, parcel: { length: 10, width: 8, height: 4, weight: 15.4 },
      to_address: { name: 'Ada Lovelace', street1: '417 Montgomery St', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
      from_address: { name: 'Shipgate Warehouse', street1: '1 Dock Rd', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' },
    }), headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }).then((r) => r.json());
    listed.push(made);
  }
  findings.expectedSelectedTotal = (listed.reduce((sum, s) => sum + Math.min(...s.rates.map((r) => Math.round(Number(r.rate) * 100))), 0) / 100).toFixed(2);
  await page.click('a[href="#/shipments"]');
  await page.getByRole('table', { name: 'Shipments' }).waitFor();
  await page.fill('input[name=q]', 'E2E-SELECT');
  await page.click('text=Apply');
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Shipments"] tbody tr [data-testid=select-shipment]').length === 2);
  for (const s of listed) await page.check(`[data-testid=select-shipment][data-id="${s.id}"]`);
  await page.click('[data-testid=buy-selected]');
  const confirmSelected = page.locator('#confirm-buy-selected');
  await confirmSelected.waitFor({ state: 'visible' });
  findings.selectedTotalShown = (await confirmSelected.locator('[data-testid=buy-selected-total]').textContent()).trim();
  await shot(page, 'buy-selected');
  await confirmSelected.getByRole('button', { name: /^Buy 2 for/ }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('table[aria-label="Shipments"] tbody tr')]
    .filter((tr) => tr.querySelector('code')).length === 2);
  findings.selectedBought = await Promise.all(listed.map((s) => fetch(`${base}/api/shipments/${s.id}`,
    { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json()).then((b) => Boolean(b.tracking_code))));
  for (const s of listed) await page.check(`[data-testid=select-shipment][data-id="${s.id}"]`);
  findings.selectedDocumentUrl = await opened('[data-testid=print-selected]', /\/files\/batch_label\/.+\.pdf$/);

  // System: database, EasyPost (simulated here), breaker and pools.
  await page.click('a[href="#/system"]');
  await page.locator('[data-testid=easypost-mode]').waitFor();
  findings.easypostMode = (await page.locator('[data-testid=easypost-mode]').textContent()).trim();
  await shot(page, 'system');
  await audit(page, 'system');
  await page.getByRole('table', { name: 'Carrier accounts' }).waitFor();
  findings.carrierAccounts = await page.locator('table[aria-label="Carrier accounts"] tbody tr').count();

  // An international shipment: customs declared in the form (a weight that does not add up is named on its
  // field), insured at purchase, its commercial invoice shown with the label, then its return created.
  await page.click('a[href="#/new"]');
  await page.getByRole('heading', { name: 'New shipment' }).waitFor();
  await fill('to_address.name', 'Grace Hopper');
  await fill('to_address.street1', '10 Downing St');
  await fill('to_address.city', 'London');
  await fill('to_address.state', '');
  await fill('to_address.zip', 'SW1A 2AA');
  await fill('to_address.country', 'GB');
  await fill('parcel.weight', '32');
  await fill('reference', 'BROWSER-INTL');
  await page.locator('[data-testid=customs]').waitFor();
  await fill('customs_info.customs_signer', 'Steve Brule');
  await fill('customs_info.customs_items[0].description', 'Cotton T-shirt');
  await fill('customs_info.customs_items[0].quantity', '2');
  await fill('customs_info.customs_items[0].value', '40');
  await fill('customs_info.customs_items[0].weight', '40');
  await fill('customs_info.customs_items[0].hs_tariff_number', '6109.10');
  await fill('insurance', '35');
  await page.click('button[type=submit]');
  const customsError = page.locator('[id="customs_info.customs_items[0].weight-error"]');
  await customsError.waitFor();
  findings.customsFieldError = await customsError.textContent();
  await shot(page, 'customs-field-error');
  await fill('customs_info.customs_items[0].weight', '12');
  await page.click('button[type=submit]');
  await page.waitForURL(/#\/shipments\/[0-9a-f-]{36}$/);
  findings.internationalId = page.url().split('/').pop();
  await page.getByRole('table', { name: 'Customs items' }).waitFor();
  findings.customsRows = await page.locator('table[aria-label="Customs items"] tbody tr').count();
  await page.locator('table[aria-label="Rates"] tbody tr').first().getByRole('button', { name: /^Buy/ }).click();
  await dialog.waitFor({ state: 'visible' });
  findings.insurancePrefilled = await dialog.locator('[name="insurance"]').inputValue();
  await dialog.getByRole('button', { name: /^Buy for/ }).click();
  await page.locator('[data-testid=customs-form]').first().waitFor();
  findings.customsFormUrl = await page.locator('[data-testid=customs-form]').first().getAttribute('href');
  findings.insuredText = (await page.locator('[data-testid=insured]').textContent()).trim();
  await shot(page, 'international-bought');
  await audit(page, 'international-bought');
  await page.click('text=Create return…');
  const returnDialog = page.locator('#confirm-return');
  await returnDialog.waitFor({ state: 'visible' });
  await returnDialog.getByRole('button', { name: 'Create return' }).click();
  await page.waitForURL((url) => !url.hash.endsWith(findings.internationalId));
  await page.getByText('Return of').waitFor();
  findings.returnId = page.url().split('/').pop();
  await shot(page, 'return-created');

  // Tokens: an agent's token with scopes and limits; its secret is shown once.
  await page.click('a[href="#/tokens"]');
  await page.getByRole('heading', { name: 'Tokens' }).waitFor();
  await page.fill('[name="name"]', 'agent-e2e');
  await page.check('[name="scope-buy"]');
  await page.fill('[name="daily_spend"]', '100.00');
  await page.fill('[name="approval_above"]', '1.00');
  await page.click('text=Create token');
  const secret = page.locator('[data-testid=new-token-secret]');
  await secret.waitFor();
  findings.agentSecret = (await secret.textContent()).trim();
  await page.locator('tr[data-token="agent-e2e"]').waitFor();
  findings.agentListed = (await page.locator('tr[data-token="agent-e2e"]').textContent()).replace(/\s+/g, ' ');
  await shot(page, 'tokens');
  await audit(page, 'tokens');

  // The agent asks to buy two labels above its approval threshold: both wait for a person.
  const call = (path, bearer, json, userAgent) => fetch(`${base}/api${path}`, {
    method: 'POST', body: JSON.stringify(json),
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json', 'User-Agent': userAgent },
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const shipmentBody = {
    to_address: { name: 'Ada Lovelace', street1: '417 Montgomery St', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
    from_address: { name: 'Shipgate Warehouse', street1: '1 Dock Rd', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' },
    parcel: { length: 10, width: 8, height: 4, weight: 15.4 },
  };
  findings.approvalStatuses = [];
  findings.approvalShipments = [];
  for (const reference of ['E2E-APPROVE', 'E2E-REJECT']) {
    const made = await call('/shipments', token, { ...shipmentBody, reference }, 'dashboard-test');
    const asked = await call(`/shipments/${made.body.id}/buy`, findings.agentSecret, { strategy: 'cheapest' }, 'e2e-agent/1.0 (MCP)');
    findings.approvalStatuses.push(asked.status);
    findings.approvalShipments.push(made.body.id);
  }

  // Approvals: approve one with its price in the confirmation, reject the other.
  await page.click('a[href="#/approvals"]');
  await page.getByRole('heading', { name: 'Approvals' }).waitFor();
  await page.getByRole('table', { name: 'Approvals' }).waitFor();
  const approveRow = page.locator('tr', { has: page.locator(`a[href="#/shipments/${findings.approvalShipments[0]}"]`) });
  findings.approvalPrice = (await approveRow.locator('[data-testid=approval-price]').textContent()).trim();
  await shot(page, 'approvals');
  await audit(page, 'approvals');
  await approveRow.getByRole('button', { name: /^Approve/ }).click();
  const decision = page.locator('#decide-approval');
  await decision.waitFor({ state: 'visible' });
  findings.approveConfirm = (await decision.textContent()).replace(/\s+/g, ' ');
  await decision.getByRole('button', { name: /^Approve and buy/ }).click();
  await decision.waitFor({ state: 'hidden' });
  const rejectRow = page.locator('tr', { has: page.locator(`a[href="#/shipments/${findings.approvalShipments[1]}"]`) });
  await rejectRow.getByRole('button', { name: /^Reject/ }).click();
  await decision.waitFor({ state: 'visible' });
  await decision.getByRole('button', { name: 'Reject' }).click();
  await decision.waitFor({ state: 'hidden' });
  await page.selectOption('#approval-status', '');
  await page.waitForFunction((ids) => ids.every((id) => {
    const row = document.querySelector(`a[href="#/shipments/${id}"]`)?.closest('tr');
    return row && row.querySelector('[data-testid=approval-status]').textContent !== 'pending';
  }), findings.approvalShipments);
  findings.decidedStatuses = await Promise.all(findings.approvalShipments.map((id) => page
    .locator('tr', { has: page.locator(`a[href="#/shipments/${id}"]`) }).locator('[data-testid=approval-status]').textContent()));
  await shot(page, 'approvals-decided');

  // Audit: the agent's requests, named with its client, and the admin's decisions.
  await page.click('a[href="#/audit"]');
  await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
  await page.fill('#audit-token', 'agent-e2e');
  await page.click('text=Apply');
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Audit trail"] tbody tr').length >= 3);
  findings.auditRows = await page.locator('table[aria-label="Audit trail"] tbody tr').allTextContents();
  await shot(page, 'audit');
  await audit(page, 'audit');

  // Revoking the agent's token stops it on its very next request.
  await page.click('a[href="#/tokens"]');
  await page.getByRole('button', { name: 'Revoke agent-e2e' }).click();
  const revoke = page.locator('#revoke-token');
  await revoke.waitFor({ state: 'visible' });
  await revoke.getByRole('button', { name: 'Revoke' }).click();
  await page.locator('tr[data-token="agent-e2e"] .badge').waitFor();
  findings.agentState = (await page.locator('tr[data-token="agent-e2e"] .badge').textContent()).trim();
  findings.revokedStatus = (await fetch(`${base}/api/shipments?limit=1`, { headers: { Authorization: `Bearer ${findings.agentSecret}` } })).status;

  // A phone-sized screen gets the same overview.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.addInitScript((t) => localStorage.setItem('shipgate.token', t), token);
  const small = await phone.newPage();
  watch(small);
  await small.goto(`${base}/#/overview`);
  await small.locator('canvas').first().waitFor();
  findings.phoneOverflow = await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  await shot(small, 'overview-phone');
  await audit(small, 'overview-phone');
} catch (e) {
  findings.failure = String(e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
