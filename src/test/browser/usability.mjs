// The dashboard's layout and wording faults an operator found, checked in headless Chromium through nginx at a
// desktop (1366x768) and a phone (390x844) size: no sideways scrolling, readable filters, the phone menu,
// address checks that follow the address, bulk failures shown as failures, refunds only for unused labels,
// the token shared by tabs, filters in the address, one colour per carrier and status, compact tiles, names
// instead of codes, and a confirmation before a buying bulk job. Prints what it found as one JSON line
// (checked by DashboardUsabilityIT). Usage: node usability.mjs BASE_URL TOKEN WEBHOOK_SECRET SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, token, webhookSecret, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const findings = { consoleErrors: [], screenshots: [], accessibility: {}, overflow: {}, steps: [] };
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TIMEOUT = 30_000;
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function shot(page, name) {
  const file = join(shots, `usability-${String(findings.screenshots.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  findings.screenshots.push(file);
}

async function audit(page, name) {
  await page.evaluate(axeSource);
  findings.accessibility[name] = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }).then((r) => r.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0]?.target.join(' ') }))));
}

function watch(page) {
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => {
    // Refusals asked for on purpose: a created_to before created_from (400) and a CSV with a bad weight (400).
    if (m.type() === 'error' && !/responded with a status of (400|422)/.test(m.text())) findings.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => findings.consoleErrors.push(`page error: ${e.message}`));
}

const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
const call = (path, json, method = 'POST') => fetch(`${base}/api${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) })
  .then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));
const shipmentBody = (reference) => ({
  reference, parcel: { length: 10, width: 8, height: 4, weight: 15.4 },
  to_address: { name: 'Ada Lovelace', street1: '417 Montgomery St', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
  from_address: { name: 'Shipgate Warehouse', street1: '1 Dock Rd', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' },
});

/** Waits until the page has its heading and nothing is loading any more. */
async function settled(page) {
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
  await page.waitForTimeout(150);
}

/** True when the document scrolls sideways at this viewport (the fault: a 487 px page on a 390 px phone). */
const overflows = (page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

try {
  // Shipments to look at: one not bought, one bought and unused (refundable), one scanned by the carrier.
  const unbought = (await call('/shipments', shipmentBody('UX-UNBOUGHT'))).body;
  const unused = (await call('/shipments', shipmentBody('UX-UNUSED'))).body;
  await call(`/shipments/${unused.id}/buy`, { strategy: 'cheapest' });
  const scanned = (await call('/shipments', shipmentBody('UX-SCANNED'))).body;
  const scannedBought = (await call(`/shipments/${scanned.id}/buy`, { strategy: 'cheapest' })).body;
  const event = JSON.stringify({
    id: `evt_ux_${scannedBought.tracking_code}`, object: 'Event', description: 'tracker.updated', mode: 'test',
    result: { object: 'Tracker', id: 'trk_ux', tracking_code: scannedBought.tracking_code, status: 'in_transit', tracking_details: [
      { object: 'TrackingDetail', status: 'in_transit', message: 'Arrived at hub', datetime: '2026-11-21T08:30:00Z', tracking_location: { city: 'RENO', state: 'NV', country: 'US' } }] },
  });
  findings.webhookStatus = (await fetch(`${base}/webhooks/easypost`, { method: 'POST', body: event, headers: {
    'Content-Type': 'application/json',
    'X-Hmac-Signature': `hmac-sha256-hex=${createHmac('sha256', webhookSecret).update(event).digest('hex')}`,
  } })).status;
  // An exception to look at: a bought parcel whose carrier could not deliver it (a failure an hour ago).
  const failedParcel = (await call('/shipments', shipmentBody('UX-EXCEPTION'))).body;
  const failedBought = (await call(`/shipments/${failedParcel.id}/buy`, { strategy: 'cheapest' })).body;
  const failure = JSON.stringify({
    id: `evt_ux_${failedBought.tracking_code}`, object: 'Event', description: 'tracker.updated', mode: 'test',
    result: { object: 'Tracker', id: 'trk_ux_exc', tracking_code: failedBought.tracking_code, status: 'failure', tracking_details: [
      { object: 'TrackingDetail', status: 'failure', message: 'Address not found',
        datetime: new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'), tracking_location: { city: 'RENO', state: 'NV', country: 'US' } }] },
  });
  findings.exceptionWebhookStatus = (await fetch(`${base}/webhooks/easypost`, { method: 'POST', body: failure, headers: {
    'Content-Type': 'application/json',
    'X-Hmac-Signature': `hmac-sha256-hex=${createHmac('sha256', webhookSecret).update(failure).digest('hex')}`,
  } })).status;

  // A buying bulk job whose every row fails: a real service (USPS sells it abroad) that no domestic rate offers.
  const csvHeader = 'reference,to_name,to_street1,to_city,to_state,to_zip,from_company,from_street1,from_city,from_state,from_zip,weight';
  const csvRow = (n, weight = '5') => `UX-BULK-${n},Customer ${n},179 N Harbor Dr,Redondo Beach,CA,90277,EasyPost,417 Montgomery Street,San Francisco,CA,94104,${weight}`;
  const failing = await fetch(`${base}/api/shipments/bulk-create?buy=cheapest&services=PriorityMailInternational`, {
    method: 'POST', body: [csvHeader, csvRow(1), '', csvRow(2), csvRow(3)].join('\n'),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' },
  }).then((r) => r.json());
  let job;
  for (let i = 0; i < 300; i++) {
    job = (await call(`/jobs/${failing.id}`, undefined, 'GET')).body;
    if (job.job.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  findings.failedJobApi = { state: job.job.state, counts: job.job.counts, lines: job.items.map((i) => i.line) };

  const context = await browser.newContext({ viewport: SIZES.desktop });
  const page = await context.newPage();
  watch(page);

  // 6. Signed in once, a shipment opened in a new tab needs no second sign-in; signing out signs out every tab.
  findings.steps.push('token shared by tabs');
  await page.goto(`${base}/`);
  await page.fill('#token', token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const tab = await context.newPage();
  watch(tab);
  await tab.goto(`${base}/#/shipments/${unbought.id}`);
  await tab.getByRole('table', { name: 'Rates' }).waitFor();
  findings.newTabSignedIn = await tab.locator('#token').count() === 0;
  await tab.getByRole('button', { name: 'Sign out' }).click();
  await tab.locator('#token').waitFor();
  await page.locator('#token').waitFor();
  findings.signOutEverywhere = await page.locator('#token').isVisible();
  findings.tokenAfterSignOut = await page.evaluate(() => localStorage.getItem('shipgate.token'));
  await tab.close();
  await page.fill('#token', token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();

  // 12. Times read in the business's zone (the service's, UTC here) with the zone named, not in the browser's
  // (Tokyo, nine hours ahead): a shipment made late in the business's day is not shown on the next day.
  findings.steps.push('times in the business zone');
  const tokyo = await browser.newContext({ viewport: SIZES.desktop, timezoneId: 'Asia/Tokyo' });
  const tp = await tokyo.newPage();
  watch(tp);
  await tp.goto(`${base}/`);
  await tp.fill('#token', token);
  await tp.keyboard.press('Enter');
  await tp.getByRole('heading', { name: 'Overview' }).waitFor();
  await tp.goto(`${base}/#/shipments/${unbought.id}`);
  await tp.getByRole('table', { name: 'Rates' }).waitFor();
  findings.createdAtApi = unbought.created_at;
  findings.browserZone = await tp.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  findings.detailCreated = (await tp.locator('main p small').filter({ hasText: 'created' }).first().innerText()).replace(/\s/g, ' ');
  await tokyo.close();

  // 6. Filters live in the address: a reload and a shared link show the same list.
  findings.steps.push('filters in the address');
  await page.goto(`${base}/#/shipments`);
  await settled(page);
  await page.selectOption('select[name=status]', 'in_transit');
  await page.fill('input[name=q]', 'UX-SCANNED');
  await page.click('text=Apply');
  await page.waitForFunction(() => location.hash.includes('status=in_transit'));
  findings.filterHash = await page.evaluate(() => location.hash);
  await page.reload();
  await settled(page);
  findings.filterAfterReload = { status: await page.inputValue('select[name=status]'), q: await page.inputValue('input[name=q]') };
  findings.rowsAfterReload = await page.locator('table[aria-label="Shipments"] tbody tr').allTextContents();
  const shared = await context.newPage();
  watch(shared);
  await shared.goto(`${base}/${findings.filterHash}`);
  await settled(shared);
  findings.filterInSharedLink = await shared.inputValue('select[name=status]');
  await shared.close();

  // The exceptions queue's filters live in the address too: a shared link, a changed filter, a reload.
  findings.steps.push('exception filters in the address');
  const exceptions = await context.newPage();
  watch(exceptions);
  await exceptions.goto(`${base}/#/exceptions?reason=failure`);
  await settled(exceptions);
  findings.exceptionSharedLink = { reason: await exceptions.inputValue('#exception-reason'),
    acknowledged: await exceptions.isChecked('#include-acknowledged'),
    rows: await exceptions.locator('table[aria-label="Exceptions"] tbody tr').allTextContents() };
  await exceptions.check('#include-acknowledged');
  await exceptions.waitForFunction(() => location.hash.includes('include_acknowledged=true'));
  await settled(exceptions);
  findings.exceptionFilterHash = await exceptions.evaluate(() => location.hash);
  await exceptions.reload();
  await settled(exceptions);
  findings.exceptionFilterAfterReload = { reason: await exceptions.inputValue('#exception-reason'),
    acknowledged: await exceptions.isChecked('#include-acknowledged') };
  await exceptions.selectOption('#exception-reason', 'never_scanned');
  await exceptions.waitForFunction(() => location.hash.includes('reason=never_scanned'));
  await settled(exceptions);
  findings.exceptionFilterChanged = { hash: await exceptions.evaluate(() => location.hash),
    rows: await exceptions.locator('table[aria-label="Exceptions"] tbody tr').count() };
  // An unknown reason in a shared link is the API's refusal on screen, not every exception under "all reasons".
  await exceptions.goto(`${base}/#/exceptions?reason=bogus`);
  await exceptions.locator('.problem').waitFor();
  findings.exceptionBogusReason = { problem: (await exceptions.locator('.problem').textContent()).replace(/\s+/g, ' ').trim(),
    hash: await exceptions.evaluate(() => location.hash),
    rows: await exceptions.locator('table[aria-label="Exceptions"] tbody tr').count() };
  await exceptions.close();

  // 9. An API field name in a refusal reads as the form's label.
  findings.steps.push('field labels in problems');
  await page.goto(`${base}/#/shipments?created_from=2026-11-30&created_to=2026-11-01`);
  await page.locator('.problem').waitFor();
  findings.filterProblem = (await page.locator('.problem').textContent()).replace(/\s+/g, ' ').trim();

  // 9. Codes as names: "Not bought" for a shipment without a label, services as the carrier sells them.
  findings.steps.push('names instead of codes');
  await page.goto(`${base}/#/shipments?q=UX-UNBOUGHT`);
  await settled(page);
  findings.unboughtListed = (await page.locator('table[aria-label="Shipments"] tbody tr').first().textContent()).replace(/\s+/g, ' ');
  await page.goto(`${base}/#/shipments/${unbought.id}`);
  await settled(page);
  findings.unboughtStatus = (await page.locator('[data-testid=shipment-status] .badge').first().textContent()).trim();
  findings.rateServices = await page.locator('table[aria-label="Rates"] tbody td.rate-service').allTextContents();
  findings.rawServices = unbought.rates.map((r) => r.service);

  // 5. Refund only for an unused label; after the refund the page shows the refund and stops offering the label.
  findings.steps.push('refunds');
  await page.goto(`${base}/#/shipments/${scanned.id}`);
  await settled(page);
  findings.scannedStatus = (await page.locator('[data-testid=shipment-status] .badge').first().textContent()).trim();
  findings.refundOfferedScanned = await page.locator('[data-testid=refund]').count();
  await page.goto(`${base}/#/shipments/${unused.id}`);
  await settled(page);
  findings.unusedStatus = (await page.locator('[data-testid=shipment-status] .badge').first().textContent()).trim();
  findings.refundOfferedUnused = await page.locator('[data-testid=refund]').count();
  await page.click('[data-testid=refund]');
  await page.locator('#confirm-refund').getByRole('button', { name: 'Ask for a refund' }).click();
  await page.locator('[data-testid=refund-badge]').waitFor();
  findings.afterRefund = {
    badge: (await page.locator('[data-testid=refund-badge]').textContent()).trim(),
    refundButtons: await page.locator('[data-testid=refund]').count(),
    printButtons: await page.locator('[data-testid=print-label]').count(),
    note: (await page.locator('[data-testid=refunded-note]').textContent()).trim(),
  };
  findings.refundStatusApi = (await call(`/shipments/${unused.id}`, undefined, 'GET')).body.refund_status;
  await shot(page, 'refunded');

  // 2. The address check belongs to the address checked: an edit clears it; an unconfirmed address is not offered.
  findings.steps.push('address checks');
  await page.goto(`${base}/#/new`);
  await settled(page);
  const fill = (name, value) => page.fill(`[name="${name}"]`, value);
  await fill('to_address.street1', '179 N Harbor Dr');
  await fill('to_address.city', 'Redondo Beach');
  await fill('to_address.state', 'CA');
  await fill('to_address.zip', '90277');
  await fill('from_address.street1', '417 Montgomery Street');
  await fill('from_address.city', 'San Francisco');
  await fill('from_address.zip', '94104');
  await page.click('text=Verify addresses');
  await page.getByText('Deliverable.').first().waitFor();
  const toCheck = page.locator('fieldset', { hasText: 'Ship to' }).locator('[data-testid=verification]');
  findings.toCheckBeforeEdit = (await toCheck.textContent()).replace(/\s+/g, ' ').trim();
  await fill('to_address.street1', '1 Unknown Road');
  findings.toChecksAfterEdit = await toCheck.count();
  findings.fromChecksAfterEdit = await page.locator('fieldset', { hasText: 'Ship from' }).locator('[data-testid=verification]').count();
  await page.click('text=Verify addresses');
  await page.getByText('EasyPost could not confirm this address.').waitFor();
  const badCheck = toCheck;
  findings.badCheckText = (await badCheck.textContent()).replace(/\s+/g, ' ').trim();
  findings.useOfferedForBad = await badCheck.getByRole('button', { name: 'Use this address' }).count();
  await shot(page, 'address-not-confirmed');

  // 4. A bulk job whose every row failed says so, in words and in the bar; its rows are the file's lines.
  findings.steps.push('failed bulk job');
  await page.goto(`${base}/#/bulk/${failing.id}`);
  await page.getByRole('table', { name: 'Job results' }).waitFor();
  findings.failedJobHeadline = (await page.locator('[data-testid=job-headline]').textContent()).trim();
  findings.failedJobBar = await page.evaluate(() => {
    const bar = document.getElementById('job-progress');
    const part = (o) => bar.querySelector(`[data-outcome=${o}]`);
    return {
      failedShare: part('failed').getBoundingClientRect().width / bar.getBoundingClientRect().width,
      succeededShare: part('succeeded').getBoundingClientRect().width / bar.getBoundingClientRect().width,
      failedColour: getComputedStyle(part('failed')).backgroundColor,
      valueText: bar.getAttribute('aria-valuetext'),
    };
  });
  findings.failedJobLines = (await page.locator('table[aria-label="Job results"] tbody tr td:first-child').allTextContents()).map(Number);
  await shot(page, 'bulk-all-failed');
  // The same numbering in an upload refused for a bad row: the file's line 3 is "Line 3".
  await page.goto(`${base}/#/bulk`);
  await settled(page);
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-ux-'));
  writeFileSync(join(dir, 'bad.csv'), [csvHeader, csvRow(1), csvRow(2, 'heavy')].join('\n'));
  await page.setInputFiles('#bulk-file', join(dir, 'bad.csv'));
  await page.getByText('2 data rows').waitFor();
  await page.click('text=Start the job');
  await page.locator('.problem').waitFor();
  findings.uploadProblem = (await page.locator('.problem').textContent()).replace(/\s+/g, ' ').trim();

  // 10. A buying job starts only after a confirmation with the number of labels and an estimated total.
  findings.steps.push('bulk buy confirmation');
  writeFileSync(join(dir, 'good.csv'), [csvHeader, csvRow(1), csvRow(2), csvRow(3)].join('\n'));
  await page.goto(`${base}/#/bulk`);
  await settled(page);
  await page.setInputFiles('#bulk-file', join(dir, 'good.csv'));
  await page.getByText('3 data rows').waitFor();
  await page.selectOption('#bulk-strategy', 'cheapest');
  await page.click('text=Start the job');
  const confirm = page.locator('#confirm-bulk-buy');
  await confirm.waitFor({ state: 'visible' });
  findings.bulkConfirm = {
    summary: (await confirm.locator('[data-testid=bulk-buy-summary]').textContent()).replace(/\s+/g, ' ').trim(),
    estimate: (await confirm.locator('[data-testid=bulk-buy-estimate]').textContent()).trim(),
    button: (await confirm.locator('footer button').last().textContent()).trim(),
  };
  await audit(page, 'desktop:bulk-confirmation');
  await shot(page, 'bulk-buy-confirmation');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  findings.hashAfterCancel = await page.evaluate(() => location.hash);

  // 7. One colour per carrier and per status, on every chart and badge.
  findings.steps.push('colours');
  const colours = { carriers: {}, statuses: {} };
  /** Colours as the browser computes them (`rgb(r, g, b)`), so a chart's hex and a badge's style compare. */
  const rgb = (c) => (/^#[0-9a-f]{6}$/i.test(c) ? `rgb(${[1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).join(', ')})` : c);
  const note = (kind, name, colour) => { (colours[kind][name] ??= new Set()).add(rgb(colour)); };
  const chartColours = (p) => p.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => {
    const chart = window.Chart.getChart(c);
    return { label: c.getAttribute('aria-label'), labels: chart.data.labels,
      datasets: chart.data.datasets.map((d) => ({ label: d.label, colour: d.backgroundColor })) };
  }));
  const badgeColours = (p) => p.evaluate(() => [...document.querySelectorAll('.badge[data-status]')]
    .map((b) => [b.dataset.status, getComputedStyle(b).backgroundColor]));
  await page.goto(`${base}/#/overview`);
  await settled(page);
  await page.locator('canvas').first().waitFor();
  const overviewCharts = await chartColours(page);
  (await badgeColours(page)).forEach(([s, c]) => note('statuses', s, c));
  await page.goto(`${base}/#/analytics`);
  await settled(page);
  await page.locator('canvas').nth(3).waitFor();
  const analyticsCharts = await chartColours(page);
  for (const chart of [...overviewCharts, ...analyticsCharts]) {
    if (/stacked by carrier/.test(chart.label)) chart.datasets.forEach((d) => note('carriers', d.label, d.colour));
    if (chart.label === 'Shipments by carrier') chart.labels.forEach((l, i) => note('carriers', l, chart.datasets[0].colour[i]));
    if (chart.label === 'Shipments by status') chart.labels.forEach((l, i) => note('statuses', l.replaceAll(' ', '_'), chart.datasets[0].colour[i]));
  }
  await page.goto(`${base}/#/shipments`);
  await settled(page);
  (await badgeColours(page)).forEach(([s, c]) => note('statuses', s, c));
  findings.colours = Object.fromEntries(Object.entries(colours).map(([k, m]) => [k, Object.fromEntries(Object.entries(m).map(([n, set]) => [n, [...set]]))]));
  // Every status's own colour, from the one module, normalised by the browser.
  findings.statusColours = await page.evaluate(async () => {
    const { statusColour } = await import('/app/colours.js');
    const { STATUSES } = await import('/app/ui.js');
    const probe = document.createElement('span');
    document.body.append(probe);
    const out = Object.fromEntries(STATUSES.map((s) => { probe.style.color = statusColour(s); return [s, getComputedStyle(probe).color]; }));
    probe.remove();
    return out;
  });
  findings.stateColours = await page.evaluate(async () => {
    const { stateColour } = await import('/app/colours.js');
    return {
      item: Object.fromEntries(['pending', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => [s, stateColour('item', s)])),
      approval: Object.fromEntries(['pending', 'approved', 'rejected', 'failed'].map((s) => [s, stateColour('approval', s)])),
    };
  });

  // 8. Money tiles stay on one line: compact figures ($12.3K) with the full amount in the title.
  findings.steps.push('tiles');
  findings.compact = await page.evaluate(async () => {
    const { compactMoney } = await import('/app/ui.js');
    return [compactMoney('12345.67'), compactMoney('987.65'), compactMoney('1234567.89')];
  });

  // 12. Analytics: the previous-period change reads "n/a" when that period is too small to compare with (32
  // shipments before 20,000 read "+62396.9%"); the range and grouping live in the address and survive a reload.
  findings.steps.push('analytics change and address');
  findings.analyticsChange = await page.evaluate(async () => {
    const { change, comparable } = await import('/app/pages/analytics.js');
    const big = { shipments: 20000 };
    const tiny = { shipments: 32 };
    return {
      tinyPrevious: change(20000, 32, comparable(big, tiny)),
      tinySpend: change('150000.00', '240.00', comparable(big, tiny)),
      emptyPrevious: change(5, 0, comparable({ shipments: 5 }, { shipments: 0 })),
      fewPrevious: change(12, 9, comparable({ shipments: 12 }, { shipments: 9 })),
      comparablePrevious: change(100, 80, comparable({ shipments: 100 }, { shipments: 80 })),
      bothEmpty: change(0, 0, comparable({ shipments: 0 }, { shipments: 0 })),
    };
  });
  const today = (await call('/analytics?days=1', undefined, 'GET')).body.to;
  await page.goto(`${base}/#/analytics?from=${today}&to=${today}`);
  await settled(page);
  await page.locator('[data-testid=total-shipments-change]').waitFor();
  findings.analyticsToday = {
    shipments: await page.locator('[data-testid=total-shipments]').first().textContent(),
    change: await page.locator('[data-testid=total-shipments-change]').textContent(),
  };
  await page.goto(`${base}/#/analytics`);
  await settled(page);
  await page.getByRole('button', { name: '1 year' }).click();
  await page.waitForFunction(() => location.hash.includes('days=365'));
  await settled(page);
  await page.selectOption('#group', 'month');
  await page.waitForFunction(() => location.hash.includes('group=month'));
  await settled(page);
  await page.locator('[data-testid=time-zone]').waitFor();
  const yearHash = await page.evaluate(() => location.hash);
  await page.reload();
  await settled(page);
  await page.locator('[data-testid=time-zone]').waitFor();
  findings.analyticsYear = {
    hash: yearHash, hashAfterReload: await page.evaluate(() => location.hash),
    group: await page.inputValue('#group'), from: await page.inputValue('#from'), to: await page.inputValue('#to'),
    zoneText: await page.locator('[data-testid=time-zone]').textContent(),
    carrierZone: await page.locator('[data-testid=carrier-time-zone]').textContent().catch(() => null),
  };
  await page.fill('#from', '2026-01-05');
  await page.fill('#to', '2026-02-10');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => location.hash.includes('from=2026-01-05'));
  await page.reload();
  await settled(page);
  await page.locator('[data-testid=time-zone]').waitFor();
  findings.analyticsRange = {
    hash: await page.evaluate(() => location.hash), group: await page.inputValue('#group'),
    from: await page.inputValue('#from'), to: await page.inputValue('#to'),
    zoneText: await page.locator('[data-testid=time-zone]').textContent(),
  };

  // 1, 3, 11, and every page without WCAG violations: each page at both sizes; no page scrolls sideways.
  const pages = ['overview', 'shipments', `shipments/${unbought.id}`, `shipments/${unused.id}`, 'new', 'bulk', `bulk/${failing.id}`,
    'tracking', 'analytics', 'endofday', 'approvals', 'tokens', 'audit', 'system', 'exceptions'];
  for (const [size, viewport] of Object.entries(SIZES)) {
    findings.steps.push(`pages at ${size}`);
    const sized = await browser.newContext({ viewport, isMobile: size === 'phone', hasTouch: size === 'phone' });
    await sized.addInitScript((t) => localStorage.setItem('shipgate.token', t), token);
    const p = await sized.newPage();
    watch(p);
    for (const path of pages) {
      await p.goto(`${base}/#/${path}`);
      await settled(p);
      if (path === 'analytics' || path === 'overview') await p.locator('canvas').first().waitFor();
      const name = path.replace(/\/[0-9a-f-]{36}$/, (id) => (id.includes(unbought.id) ? '/unbought' : id.includes(unused.id) ? '/refunded' : '/job'));
      findings.overflow[`${size}:${name}`] = await overflows(p);
      await audit(p, `${size}:${name}`);
      if (path === 'analytics') {
        findings[`${size}Tiles`] = await p.evaluate(() => [...document.querySelectorAll('.tile .figure')].map((f) => {
          const lineHeight = parseFloat(getComputedStyle(f).lineHeight) || parseFloat(getComputedStyle(f).fontSize) * 1.5;
          return { text: (f.querySelector('[aria-hidden]') || f).textContent.trim(), title: f.title, lines: Math.round(f.getBoundingClientRect().height / lineHeight),
            clipped: f.scrollWidth > f.clientWidth + 1 || f.closest('.tile').scrollWidth > f.closest('.tile').clientWidth + 1 };
        }));
      }
      if (size === 'desktop' && path === 'shipments') {
        findings.filterWidths = await p.evaluate(() => Object.fromEntries([...document.querySelectorAll('.filters input, .filters select')]
          .map((e) => [e.name, Math.round(e.getBoundingClientRect().width)])));
        findings.auditFilterWidths = null;
        await shot(p, 'desktop-shipments');
      }
      if (path === 'exceptions') {
        // The first Acknowledge button as the page first shows it: scrolled down if need be, never sideways.
        findings[`${size}AcknowledgeButton`] = await p.evaluate(() => {
          const button = document.querySelector('tr[data-exception] button');
          if (!button) return null;
          let r = button.getBoundingClientRect();
          if (r.bottom > innerHeight) { scrollBy(0, r.top - 100); r = button.getBoundingClientRect(); }
          const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
          const box = button.closest('.overflow-auto').getBoundingClientRect();
          return { left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top), bottom: Math.round(r.bottom),
            viewportWidth: innerWidth, viewportHeight: innerHeight, scrollX: Math.round(scrollX),
            boxLeft: Math.round(box.left), boxRight: Math.round(box.right), topmost: hit === button || button.contains(hit) };
        });
        findings[`${size}ExceptionSummary`] = await p.locator('[data-testid=exceptions-summary]').innerText();
        await shot(p, `${size}-exceptions`);
      }
      if (size === 'desktop' && path === 'bulk') {
        findings.bulkTemplateText = (await p.locator('main p').first().innerText()).replace(/\s+/g, ' ').trim();
      }
      if (size === 'desktop' && path === 'audit') {
        findings.auditFilterWidths = await p.evaluate(() => Object.fromEntries([...document.querySelectorAll('.filters input, .filters select')]
          .map((e) => [e.id, Math.round(e.getBoundingClientRect().width)])));
      }
      if (size === 'phone' && path === `shipments/${unbought.id}`) {
        findings.phoneBuyButtons = await p.evaluate(() => [...document.querySelectorAll('[data-testid=buy-rate]')].map((b) => {
          const r = b.getBoundingClientRect();
          return { left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width) };
        }));
        await shot(p, 'phone-shipment');
      }
    }
    if (size === 'phone') {
      // 11. The navigation folds into a menu button; opened, it lists the pages; a page chosen closes it.
      await p.goto(`${base}/#/overview`);
      await settled(p);
      findings.phoneHeaderHeight = await p.evaluate(() => Math.round(document.querySelector('header').getBoundingClientRect().height));
      findings.phoneLinksHidden = !(await p.getByRole('link', { name: 'Analytics' }).isVisible());
      await shot(p, 'phone-menu-closed');
      await p.click('[data-testid=menu-toggle]');
      findings.phoneMenuExpanded = await p.getAttribute('[data-testid=menu-toggle]', 'aria-expanded');
      findings.phoneLinksShown = await p.getByRole('link', { name: 'Analytics' }).isVisible();
      await audit(p, 'phone:menu-open');
      await shot(p, 'phone-menu-open');
      await p.getByRole('link', { name: 'Analytics' }).click();
      await p.getByRole('heading', { name: 'Analytics' }).waitFor();
      findings.phoneMenuAfterChoice = await p.getAttribute('[data-testid=menu-toggle]', 'aria-expanded');
      await shot(p, 'phone-analytics');
    } else {
      findings.desktopMenuButtonVisible = await p.locator('[data-testid=menu-toggle]').isVisible();
    }
    await sized.close();
  }

  // Last, as it adds 25 exceptions the steps above would count: the queue's page lives in the address, so a
  // reload after Next stays on page 2 and Previous goes back to page 1.
  findings.steps.push('exception page in the address');
  for (let n = 0; n < 25; n += 5) {
    await Promise.all([0, 1, 2, 3, 4].map(async (i) => {
      const created = (await call('/shipments', shipmentBody(`UX-PAGE-${n + i}`))).body;
      const bought = (await call(`/shipments/${created.id}/buy`, { strategy: 'cheapest' })).body;
      const failed = JSON.stringify({
        id: `evt_ux_page_${bought.tracking_code}`, object: 'Event', description: 'tracker.updated', mode: 'test',
        result: { object: 'Tracker', id: `trk_ux_page_${n + i}`, tracking_code: bought.tracking_code, status: 'failure', tracking_details: [
          { object: 'TrackingDetail', status: 'failure', message: 'Address not found',
            datetime: new Date(Date.now() - (n + i + 2) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z') }] },
      });
      await fetch(`${base}/webhooks/easypost`, { method: 'POST', body: failed, headers: { 'Content-Type': 'application/json',
        'X-Hmac-Signature': `hmac-sha256-hex=${createHmac('sha256', webhookSecret).update(failed).digest('hex')}` } });
    }));
  }
  const paging = await context.newPage();
  watch(paging);
  await paging.goto(`${base}/#/exceptions`);
  await settled(paging);
  const firstRows = await paging.locator('tr[data-exception]').evaluateAll((rows) => rows.map((r) => r.dataset.exception));
  await paging.getByRole('button', { name: 'Next' }).click();
  await paging.waitForFunction(() => location.hash.includes('cursor='));
  await settled(paging);
  const secondRows = await paging.locator('tr[data-exception]').evaluateAll((rows) => rows.map((r) => r.dataset.exception));
  const nextHash = await paging.evaluate(() => location.hash);
  await paging.reload();
  await settled(paging);
  findings.exceptionPaging = { firstRows: firstRows.length, nextHash, secondRows: secondRows.length,
    overlap: secondRows.filter((id) => firstRows.includes(id)).length,
    afterReload: { hash: await paging.evaluate(() => location.hash), label: await paging.locator('[data-testid=exceptions-page]').textContent(),
      sameRows: JSON.stringify(await paging.locator('tr[data-exception]').evaluateAll((rows) => rows.map((r) => r.dataset.exception))) === JSON.stringify(secondRows) } };
  await paging.getByRole('button', { name: 'Previous' }).click();
  await paging.waitForFunction(() => !location.hash.includes('cursor='));
  await settled(paging);
  findings.exceptionPaging.previous = { hash: await paging.evaluate(() => location.hash),
    label: await paging.locator('[data-testid=exceptions-page]').textContent(),
    sameRows: JSON.stringify(await paging.locator('tr[data-exception]').evaluateAll((rows) => rows.map((r) => r.dataset.exception))) === JSON.stringify(firstRows) };
  await paging.close();
} catch (e) {
  findings.failure = String(e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
