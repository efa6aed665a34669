// Browser test of issue 5's follow-up of the action plans: a VDAB network
// manager evaluates Mechelen's actions for 2024, prints the plan with its
// evaluations on A4, finds the stalled action among all actions of
// Antwerpen, and sees the alert that asked for the evaluation go away. Run
// by tests/browser/run.sh after test_edit.mjs, against the same server, with
// the same account (vdab, Antwerpen). Screenshots: followup-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, guarded as guardedIn, launch, open, SHOTS, submit, text } from './lib.mjs';

const LOGIN = process.env.SOMON_EDIT_LOGIN;
const PASSWORD = process.env.SOMON_EDIT_PASSWORD;
if (!BASE || !LOGIN || !PASSWORD) throw new Error('SOMON_URL, SOMON_EDIT_LOGIN or SOMON_EDIT_PASSWORD is not set (run tests/browser/run.sh)');
const AG = 'SO-MECHELEN-2021';
const ALERTS = '/alerts?date=2025-03-01'; // asks for the evaluations of 2024

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const guarded = (options) => guardedIn(browser, options);
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `followup-${name}.png`), fullPage: true });

// The rows of the alerts table as "kind | agreement | what".
async function alertRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('table.alerts tbody tr')].map((tr) =>
    [...tr.children].slice(0, 3).map((td) => td.textContent.replace(/\s+/g, ' ').trim()).join(' | ')));
}

test('issue 5: evaluate the action plan, print it, find the stalled action, and the alert goes away', async (t) => {
  const anon = await guarded();
  const reader = await anon.context.newPage();
  const editor = await guarded();
  const page = await editor.context.newPage();
  let first, second;

  await t.test('alerts: the actions of Mechelen lack their 2024 evaluation, each with a link to the form', async () => {
    await open(reader, ALERTS);
    assert.equal(await text(reader.locator('h1')), 'Signalen op 01/03/2025');
    const rows = await alertRows(reader);
    const missing = rows.filter((r) => r.startsWith(`actie zonder evaluatie van vorig jaar | ${AG} |`));
    assert.ok(missing.length >= 2, rows.join('\n'));
    first = /actie (\S+): geen evaluatie voor 2024/.exec(missing[0])[1];
    second = /actie (\S+): geen evaluatie voor 2024/.exec(missing[1])[1];
    // every alert links to the place to fix it
    const link = reader.locator('table.alerts tbody tr', { hasText: `actie ${first}: geen evaluatie voor 2024` }).getByRole('link', { name: 'evaluaties invullen' });
    assert.equal(await link.getAttribute('href'), `/agreements/${AG}/evaluations/edit?year=2024`);
    await shot(reader, 'alerts');
    // an anonymous reader who follows it is asked to sign in first
    await Promise.all([reader.waitForURL(/\/login\?next=/), link.click()]);
    assert.equal(new URL(reader.url()).searchParams.get('next'), `/agreements/${AG}/evaluations/edit?year=2024`);
  });

  await t.test('evaluate: sign in, fill in two actions of 2024, the form keeps a refused entry', async () => {
    await open(page, `/login?next=${encodeURIComponent(`/agreements/${AG}/evaluations/edit?year=2024`)}`);
    await page.getByLabel('Login').fill(LOGIN);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await submit(page, 'Aanmelden');
    assert.equal(new URL(page.url()).pathname, `/agreements/${AG}/evaluations/edit`);
    assert.equal(await text(page.locator('h1')), 'Evaluatie van het actieplan, 2024');
    const action = (n) => page.locator('fieldset.evaluation', { hasText: new RegExp(`^\\s*Actie ${n.replace('.', '\\.')}:`) });
    assert.equal(await action(first).count(), 1);
    await shot(page, 'evaluation-form');
    // a result without a status is refused beside the status, and kept
    await action(first).getByLabel('Resultaat').fill('Een resultaat zonder stand');
    editor.expect(422, `/agreements/${AG}/evaluations`);
    assert.equal((await submit(page, 'Evaluaties bewaren')).status(), 422);
    assert.match(await text(page.locator('.problems')), /kies een stand/);
    assert.equal(await action(first).getByLabel('Resultaat').inputValue(), 'Een resultaat zonder stand');
    await page.getByLabel(/^Geëvalueerd door/).fill('stuurgroep van 12/02/2025');
    await action(first).getByLabel('Stand').selectOption('achieved');
    await action(first).getByLabel('Resultaat').fill('Dertig jongeren naar werk of opleiding');
    await action(second).getByLabel('Stand').selectOption('stalled');
    await action(second).getByLabel('Resultaat').fill('Wacht op een trekker');
    await submit(page, 'Evaluaties bewaren');
    assert.equal(new URL(page.url()).pathname, `/agreements/${AG}/plan`);
  });

  await t.test('print: the plan with its evaluations fits A4 without the menus', async () => {
    const row = (n) => page.locator('table tbody tr', { has: page.locator('td', { hasText: new RegExp(`^${n.replace('.', '\\.')}$`) }) });
    const cells = async (n) => (await row(n).locator('td, th').allTextContents()).map((c) => c.trim());
    assert.deepEqual((await cells(first)).slice(6, 9), ['2024', 'gerealiseerd', 'Dertig jongeren naar werk of opleiding']);
    assert.deepEqual((await cells(second)).slice(6, 9), ['2024', 'vastgelopen', 'Wacht op een trekker']);
    await shot(page, 'plan');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.site nav').isVisible(), false, 'no menu on paper');
    assert.equal(await page.locator('.downloads').isVisible(), false, 'no download links on paper');
    assert.ok(await page.locator('table').isVisible());
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    assert.ok(pdf.length > 10000 && pdf.subarray(0, 5).toString() === '%PDF-', 'an A4 PDF');
    // on a page as wide as A4 (210 mm at 96 dpi) nothing sticks out sideways
    await page.setViewportSize({ width: 794, height: 1123 });
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.querySelector('table').getBoundingClientRect().right]);
    assert.ok(widths[0] <= 794 && widths[1] <= 794, `the plan fits the width of A4 (${widths} px)`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: 'screen' });
    // the same plan as a spreadsheet
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
    assert.equal(download.suggestedFilename(), `actieplan-${AG}.xlsx`);
  });

  await t.test('actions: the stalled action among all actions of Antwerpen', async () => {
    await open(reader, '/actions');
    await reader.getByLabel('Provincie').selectOption('Antwerpen');
    await reader.getByLabel('Stand').selectOption('stalled');
    await submit(reader, 'Toon');
    const u = new URL(reader.url());
    assert.equal(u.searchParams.get('province'), 'Antwerpen');
    assert.equal(u.searchParams.get('status'), 'stalled');
    const rows = await reader.evaluate(() => [...document.querySelectorAll('table tbody tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent.trim())));
    assert.deepEqual(rows.map((r) => [r[0], r[4], r[6], r[7]]), [[AG, second, '2024', 'vastgelopen']]);
    await shot(reader, 'actions');
  });

  await t.test('alerts: the two evaluated actions no longer ask for attention', async () => {
    await open(reader, ALERTS);
    const rows = await alertRows(reader);
    for (const n of [first, second])
      assert.ok(!rows.some((r) => r.includes(`actie ${n}: geen evaluatie voor 2024`)), `${n} evaluated`);
    assert.ok(rows.some((r) => r.startsWith(`actie zonder evaluatie van vorig jaar | ${AG} |`)), 'the others still do');
    // the agreement page shows the latest evaluation with each action
    await open(reader, `/agreements/${AG}`);
    assert.match(await text(reader.locator('section[aria-labelledby="plan-h"]')), /evaluatie 2024: vastgelopen – Wacht op een trekker/);
  });

  await anon.done();
  await editor.done();
});
