// The outbound webhooks page in headless Chromium through nginx, against a receiver the test runs: add an
// endpoint (its secret shown once), send a test, see a failed attempt and replay it, disable the endpoint and see
// events held, enable it and see them sent, rotate the secret (shown once). Every state is measured at 1366x768
// and 390x844 for sideways scrolling and audited with axe-core. Prints what it found as one JSON line (checked by
// WebhooksPageIT). Usage: node webhooks.mjs BASE_URL TOKEN RECEIVER_URL SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [base, token, receiverUrl, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const findings = { consoleErrors: [], accessibility: {}, overflow: {}, steps: [] };
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

function watch(page) {
  page.setDefaultTimeout(30_000);
  page.on('console', (m) => { if (m.type() === 'error') findings.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => findings.consoleErrors.push(`page error: ${e.message}`));
}

/** Screenshot, sideways-scroll measure and axe-core audit of the page as it is now, under `name`. */
async function check(page, name) {
  await page.screenshot({ path: join(shots, `webhooks-${name.replace(':', '-')}.png`), fullPage: true });
  findings.overflow[name] = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await page.evaluate(axeSource);
  findings.accessibility[name] = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }).then((r) => r.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0]?.target.join(' ') }))));
}

async function settled(page) {
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
  await page.locator('table[aria-label="Webhook endpoints"]').waitFor();
}

const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
const shipmentBody = (reference) => ({
  reference, parcel: { length: 10, width: 8, height: 4, weight: 15.4 },
  to_address: { name: 'Ada Lovelace', street1: '417 Montgomery St', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
  from_address: { name: 'Shipgate Warehouse', street1: '1 Dock Rd', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' },
});

const row = (page) => page.locator(`tr[data-endpoint="${receiverUrl}"]`);
const log = (page) => page.locator('section[aria-label^="Deliveries to"]');

/** The delivery log as the page shows it, newest first. */
const deliveries = (page) => log(page).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
  const td = tr.querySelectorAll('td');
  return {
    id: tr.dataset.delivery, type: td[1].innerText.trim(), state: td[2].innerText.trim(), attempts: Number(td[3].innerText),
    each: [...td[4].querySelectorAll('li')].map((li) => li.innerText.trim()), next: td[5].innerText.trim(),
  };
}));

/** Presses the log's Refresh until `test` picks something from the rows (the receiver answers within ms). */
async function until(page, what, test) {
  for (let i = 0; i < 100; i++) {
    const hit = test(await deliveries(page));
    if (hit) return hit;
    await log(page).getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(150);
  }
  throw new Error(`the delivery log never showed ${what}: ${JSON.stringify(await deliveries(page))}`);
}

try {
  const context = await browser.newContext({ viewport: SIZES.desktop });
  const page = await context.newPage();
  watch(page);

  findings.steps.push('sign in and open Webhooks');
  await page.goto(`${base}/`);
  await page.fill('#token', token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await settled(page);
  await check(page, 'desktop:empty');

  findings.steps.push('add an endpoint');
  await page.fill('#url', receiverUrl);
  await page.fill('#description', 'Warehouse receiver');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  findings.secretShown = (await page.locator('[data-testid=new-webhook-secret]').innerText()).trim();
  await row(page).waitFor();
  findings.endpointRow = (await row(page).innerText()).replace(/\s+/g, ' ');
  await check(page, 'desktop:secret-shown');
  await page.reload();
  await settled(page);
  await row(page).waitFor();
  findings.secretInPageAfterReload = (await page.content()).includes(findings.secretShown);
  findings.secretBoxesAfterReload = await page.locator('[data-testid=new-webhook-secret]').count();

  findings.steps.push('send a test');
  await row(page).getByRole('button', { name: 'Deliveries' }).click();
  await log(page).waitFor();
  await row(page).getByRole('button', { name: 'Send test' }).click();
  findings.ping = await until(page, 'a delivered ping', (rows) => rows.find((d) => d.type === 'ping' && d.state === 'delivered'));
  await check(page, 'desktop:ping-delivered');

  findings.steps.push('a failed attempt, replayed');
  await row(page).getByRole('button', { name: 'Send test' }).click();
  findings.failed = await until(page, 'a failed ping attempt',
    (rows) => rows.find((d) => d.type === 'ping' && d.id !== findings.ping.id && d.attempts === 1));
  await check(page, 'desktop:failed-attempt');
  await log(page).locator(`tr[data-delivery="${findings.failed.id}"]`).getByRole('button', { name: 'Replay' }).click();
  findings.replayed = await until(page, 'the replayed ping delivered',
    (rows) => rows.find((d) => d.id === findings.failed.id && d.state === 'delivered'));

  findings.steps.push('disabled: events held');
  await row(page).getByRole('button', { name: 'Disable' }).click();
  await row(page).getByRole('button', { name: 'Enable' }).waitFor();
  findings.disabledRow = (await row(page).innerText()).replace(/\s+/g, ' ');
  findings.testOfferedWhileDisabled = await row(page).getByRole('button', { name: 'Send test' }).isEnabled();
  for (const reference of ['HOOK-PAGE-HELD-1', 'HOOK-PAGE-HELD-2']) {
    const created = await fetch(`${base}/api/shipments`, { method: 'POST', headers, body: JSON.stringify(shipmentBody(reference)) });
    if (created.status !== 201) throw new Error(`shipment ${reference}: ${created.status} ${await created.text()}`);
  }
  findings.held = await until(page, 'two held events', (rows) => {
    const held = rows.filter((d) => d.type === 'shipment.created');
    return held.length === 2 ? held : null;
  });
  await check(page, 'desktop:held');

  findings.steps.push('enabled: held events sent');
  findings.enabledAtMillis = Date.now();
  await row(page).getByRole('button', { name: 'Enable' }).click();
  await row(page).getByRole('button', { name: 'Disable' }).waitFor();
  findings.released = await until(page, 'the held events delivered', (rows) => {
    const sent = rows.filter((d) => d.type === 'shipment.created' && d.state === 'delivered');
    return sent.length === 2 ? sent : null;
  });

  findings.steps.push('rotate the secret');
  await row(page).getByRole('button', { name: /^Rotate secret/ }).click();
  findings.rotatedSecret = (await page.locator('[data-testid=rotated-webhook-secret]').innerText()).trim();
  findings.rotatedNote = (await page.locator('[role=status]').filter({ has: page.locator('[data-testid=rotated-webhook-secret]') })
    .innerText()).replace(/\s+/g, ' ');
  await check(page, 'desktop:rotated');
  await row(page).getByRole('button', { name: 'Send test' }).click();
  findings.pingAfterRotation = await until(page, 'a ping after the rotation delivered',
    (rows) => rows.find((d) => d.type === 'ping' && d.state === 'delivered' && d.id !== findings.ping.id && d.id !== findings.failed.id));
  await page.reload();
  await settled(page);
  await row(page).waitFor();
  findings.rotatedInPageAfterReload = (await page.content()).includes(findings.rotatedSecret);
  findings.rotatedBoxesAfterReload = await page.locator('[data-testid=rotated-webhook-secret]').count();
  await context.close();

  // The same page at a phone's size: the endpoint table, the log with its attempts, and both secret boxes.
  findings.steps.push('phone');
  const phone = await browser.newContext({ viewport: SIZES.phone, isMobile: true, hasTouch: true });
  await phone.addInitScript((t) => localStorage.setItem('shipgate.token', t), token);
  const p = await phone.newPage();
  watch(p);
  await p.goto(`${base}/#/webhooks`);
  await settled(p);
  await row(p).waitFor();
  await check(p, 'phone:endpoints');
  await row(p).getByRole('button', { name: 'Deliveries' }).click();
  await until(p, 'the log', (rows) => rows.length >= 5);
  await check(p, 'phone:deliveries');
  await row(p).getByRole('button', { name: /^Rotate secret/ }).click();
  await p.locator('[data-testid=rotated-webhook-secret]').waitFor();
  await check(p, 'phone:rotated');
  await p.fill('#url', `${receiverUrl}phone`);
  await p.getByRole('button', { name: 'Add endpoint' }).click();
  await p.locator('[data-testid=new-webhook-secret]').waitFor();
  await check(p, 'phone:secret-shown');
  await phone.close();
  findings.steps.push('done');
} catch (e) {
  findings.failure = String(e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
