// The dashboard's "Download CSV" buttons in headless Chromium: the shipment list (with its applied
// filters), a bulk job's results and the analytics range; prints what each downloaded as one JSON line
// (checked by DashboardIT). Usage: node downloads.mjs BASE_URL TOKEN JOB_ID QUERY
import { chromium } from 'playwright-core';

const [base, token, jobId, query] = process.argv.slice(2);
const findings = { consoleErrors: [] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Clicks the button and answers the downloaded file's name and text. */
async function downloaded(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const text = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  return { name: file.suggestedFilename(), text };
}

try {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript((t) => localStorage.setItem('shipgate.token', t), token);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => findings.consoleErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') findings.consoleErrors.push(m.text()); });

  await page.goto(`${base}/#/shipments`);
  await page.getByRole('table', { name: 'Shipments' }).waitFor();
  await page.fill('input[name=q]', query);
  await page.click('text=Apply');
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Shipments"] tbody tr').length === 3);
  findings.shipments = await downloaded(page, '[data-testid=download-shipments]');

  await page.goto(`${base}/#/bulk/${jobId}`);
  findings.job = await downloaded(page, '[data-testid=download-job-results]');

  await page.goto(`${base}/#/analytics`);
  await page.locator('[data-testid=total-spend]').waitFor();
  findings.analytics = await downloaded(page, '[data-testid=download-analytics]');
} catch (e) {
  findings.failure = String(e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
