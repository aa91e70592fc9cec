// The Bulk page's job list in headless Chromium: every job newest first, filtered by state, each opening at
// #/jobs/<id>, an address that also works when typed or reloaded. Prints what it saw as one JSON line
// (checked by DashboardIT); a job waiting on a refused API key says so, and how long a row in progress is held. Usage: node jobs.mjs BASE_URL TOKEN
// NEWEST_JOB_ID OLDER_JOB_ID KEY_REFUSED_JOB_ID
import { chromium } from 'playwright-core';

const [base, token, newest, older, keyRefused] = process.argv.slice(2);
const findings = { consoleErrors: [] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const context = await browser.newContext();
  await context.addInitScript((t) => localStorage.setItem('shipgate.token', t), token);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => findings.consoleErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') findings.consoleErrors.push(m.text()); });

  await page.goto(`${base}/#/bulk`);
  const table = page.getByRole('table', { name: 'Bulk jobs' });
  await table.waitFor();
  findings.listed = await page.$$eval('table[aria-label="Bulk jobs"] tbody tr', (rows) => rows.map((r) => r.dataset.job));
  findings.firstRowText = await page.locator('table[aria-label="Bulk jobs"] tbody tr').first().innerText();

  await page.selectOption('#jobs-state', 'cancelled');
  await page.locator('[data-testid=jobs-empty]').waitFor();
  findings.cancelledEmpty = await page.locator('[data-testid=jobs-empty]').innerText();
  await page.selectOption('#jobs-state', 'completed');
  await table.waitFor();
  findings.completed = await page.$$eval('table[aria-label="Bulk jobs"] tbody tr', (rows) => rows.map((r) => r.dataset.job));

  await page.click(`tr[data-job="${older}"] a`);
  await page.locator('[data-testid=job-headline]').waitFor();
  findings.openedHash = await page.evaluate(() => location.hash);
  findings.openedHeading = await page.locator('h1').innerText();
  findings.openedJobText = await page.locator('main, body').first().innerText();

  await page.goto(`${base}/#/jobs/${newest}`);
  await page.reload();
  await page.locator('[data-testid=job-headline]').waitFor();
  findings.typedHeading = await page.locator('h1').innerText();
  findings.typedHeadline = await page.locator('[data-testid=job-headline]').innerText();
  findings.typedTitle = await page.title();

  await page.goto(`${base}/#/jobs/${keyRefused}`);
  await page.locator('[data-testid=job-waiting]').waitFor();
  findings.keyRefusedWaiting = await page.locator('[data-testid=job-waiting]').innerText();
  findings.keyRefusedHeld = await page.locator('[data-testid=job-held]').innerText();
} catch (e) {
  findings.failure = String(e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
