// Browser test of issue 11's spreadsheet upload: a VDAB network manager of
// Antwerpen goes from /agreements to the upload form, sends a sheet with a
// mistake and sees the problems beside their rows, sends the corrected sheet,
// sees the preview (nothing saved yet) and confirms it. Run by
// tests/browser/run.sh with the account of test_edit.mjs (vdab, Antwerpen), or
// on its own:
//   SOMON_URL=… SOMON_EDIT_LOGIN=… SOMON_EDIT_PASSWORD=… node tests/browser/test_sheet.mjs
// Screenshots: sheet-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, guarded as guardedIn, launch, open, SHOTS, submit, text } from './lib.mjs';

const LOGIN = process.env.SOMON_EDIT_LOGIN;
const PASSWORD = process.env.SOMON_EDIT_PASSWORD;
if (!BASE || !LOGIN || !PASSWORD) throw new Error('SOMON_URL, SOMON_EDIT_LOGIN or SOMON_EDIT_PASSWORD is not set (run tests/browser/run.sh)');
const ID = `SO-TEST-BLAD-${Date.now()}`;
const sheet = (party) => Buffer.from(
  'overeenkomst;titel;directie;status;begin;einde;gemeente;goedgekeurd_op;vanaf;tot\r\n' +
  `${ID};Samen werken in de Kempen (proef);Antwerpen;ondertekend;01/03/2021;31/12/2025;Kasterlee;15/02/2021;;\r\n` +
  `${ID};Samen werken in de Kempen (proef);Antwerpen;ondertekend;01/03/2021;31/12/2025;${party};;;\r\n`);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `sheet-${name}.png`), fullPage: true });

test('issue 11: agreements from a spreadsheet, with a preview before anything is saved', async (t) => {
  const editor = await guardedIn(browser);
  const page = await editor.context.newPage();

  await t.test('sign in and find the upload on /agreements', async () => {
    await open(page, '/login');
    await page.getByLabel('Login').fill(LOGIN);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await submit(page, 'Aanmelden');
    await open(page, '/agreements');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Overeenkomsten uit een rekenblad opladen' }).click()]);
    assert.equal(await text(page.locator('h1')), 'Overeenkomsten uit een rekenblad');
    assert.equal(await page.getByRole('link', { name: /Sjabloon downloaden/ }).getAttribute('href'), '/agreements/sjabloon.xlsx');
    await shot(page, 'form');
  });

  await t.test('a mistake: the problem beside its row, nothing saved', async () => {
    await page.getByLabel(/Rekenblad/).setInputFiles({ name: 'kempen.csv', mimeType: 'text/csv', buffer: sheet('Gheel') });
    editor.expect(422, '/agreements/upload');
    const r = await submit(page, 'Voorbeeld tonen');
    assert.equal(r.status(), 422);
    const row = page.locator('table#problems tbody tr');
    assert.equal(await row.count(), 1);
    assert.match(await text(row), /kempen!G3: 'Gheel' is geen gemeente op 01\/03\/2021; bedoelde u Geel/);
    await shot(page, 'problems');
  });

  await t.test('the corrected sheet: a preview, then confirmed', async () => {
    await page.getByLabel(/Rekenblad/).setInputFiles({ name: 'kempen.csv', mimeType: 'text/csv', buffer: sheet('Geel') });
    await submit(page, 'Voorbeeld tonen');
    assert.match(await text(page.locator('main [role="status"]')), /^1 nieuw, 0 gewijzigd, 0 ongewijzigd\. Er is nog niets bewaard\./);
    assert.match(await text(page.locator('table#plan tbody tr')), new RegExp(`${ID}.*nieuw.*2 partijen`));
    await shot(page, 'preview');
    await submit(page, 'Bevestigen en bewaren');
    assert.equal(new URL(page.url()).pathname, '/agreements/upload');
    assert.match(await text(page.locator('main [role="status"]')), /^Bewaard: 1 nieuw, 0 gewijzigd, 0 ongewijzigd\./);
    await shot(page, 'saved');
    await open(page, `/agreements/${ID}`);
    assert.match(await text(page.locator('main')), /Kasterlee/);
  });

  await editor.done();
});
