// Browser test of issue 11's forms for people: the agreement id proposed from
// title and kind, several parties at once by name (with a preview and the
// problems per name), and the approvals of all parties in one table — with
// JavaScript (the id follows the title while typing, a picked name is added
// to the list) and without (the server proposes the id on the first save;
// every form works by typing). A screenshot of each new form, and of its
// problems, lands in tests/browser/screenshots/forms-*.png.
//
// Run by tests/browser/run.sh after test_edit.mjs, against the same server,
// signed in with the account run.sh made (vdab, Antwerpen). The
// municipalities are those of the southern Kempen that no other browser
// test touches (Mol, Dessel, Retie, Balen, Meerhout, Laakdal).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { guarded as guardedIn, launch, open, SHOTS, submit, text } from './lib.mjs';

const BASE = process.env.SOMON_URL;
const LOGIN = process.env.SOMON_EDIT_LOGIN;
const PASSWORD = process.env.SOMON_EDIT_PASSWORD;
if (!BASE || !LOGIN || !PASSWORD) throw new Error('SOMON_URL, SOMON_EDIT_LOGIN or SOMON_EDIT_PASSWORD is not set (run tests/browser/run.sh)');

const TITLE = 'Samen sterk voor werk in de Zuiderkempen';
const ID = 'SO-ZUIDERKEMPEN-CLUSTER-2025';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `forms-${name}.png`), fullPage: true });

async function signIn(page) {
  await open(page, '/login');
  await page.getByLabel('Login').fill(LOGIN);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await submit(page, 'Aanmelden');
  assert.match(await text(page.locator('header.site form.account p')), new RegExp(`^Aangemeld als ${LOGIN}`));
}

async function partyRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('section[aria-labelledby="parties-h"] tbody tr')].map((tr) => {
    const c = [...tr.children].map((td) => td.textContent.replace(/\s+/g, ' ').trim());
    return { party: c[0], approved: c[1], covers: c[2] };
  }));
}

// Fills the new-agreement form but the id.
async function fillAgreement(page) {
  await page.getByLabel(/^Titel/).fill(TITLE);
  await page.getByLabel('Soort', { exact: true }).selectOption('cluster');
  await page.getByLabel('Status').selectOption('negotiating');
  await page.getByLabel('Begin', { exact: true }).fill('2025-01-01');
  await page.getByLabel('Einde', { exact: true }).fill('2030-12-31');
}

test('issue 11 with JavaScript: id proposed while typing, several parties with a preview, the approvals table', async (t) => {
  const g = await guardedIn(browser);
  const page = await g.context.newPage();
  await signIn(page);

  await t.test('the id follows title, kind and start, and stays editable', async () => {
    await open(page, '/agreements/new');
    const id = page.locator('#f-id');
    assert.equal(await id.inputValue(), '', 'nothing to propose yet');
    await fillAgreement(page);
    await page.waitForFunction((want) => document.getElementById('f-id').value === want, ID);
    await shot(page, 'new-agreement-proposed-id');
    await submit(page, 'Overeenkomst aanmaken');
    assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`);
    assert.equal(await text(page.locator('h1')), TITLE);
  });

  await t.test('several parties: a name picked from the list, problems per name, a preview, then one save', async () => {
    await Promise.all([page.waitForURL(`${BASE}/agreements/${ID}/parties/add`),
      page.getByRole('link', { name: /^Meerdere partijen toevoegen/ }).click()]);
    assert.equal(await text(page.locator('h1')), 'Meerdere partijen toevoegen');
    // the page carries no names; somon.js offers those that fit what is typed,
    // from the shared list of the agreement's days (issue 12)
    const options = page.locator('datalist#municipality-names option');
    assert.equal(await options.count(), 0, 'the page carries no names');
    const one = page.getByLabel(/^Zoek een naam/);
    assert.ok(await one.isVisible(), 'the picker is shown when JavaScript runs');
    await one.fill('mo');
    await page.waitForFunction(() => [...document.querySelectorAll('datalist#municipality-names option')]
      .some((o) => o.value === 'Mol'));
    const offered = await options.evaluateAll((os) => os.map((o) => o.value));
    assert.ok(offered.length <= 50 && offered.every((n) => n.toLowerCase().includes('mo')), `only names that fit: ${offered}`);
    const begins = offered.map((n) => n.toLowerCase().startsWith('mo'));
    assert.ok(begins.indexOf(false) < 0 || begins.lastIndexOf(true) < begins.indexOf(false),
      `names that begin with what is typed come first: ${offered}`);
    await one.fill('Mol');
    await one.press('Enter');
    assert.equal(await page.getByLabel('Gemeenten bij naam').inputValue(), 'Mol\n', 'Enter adds the name to the list');
    assert.equal(await one.inputValue(), '', 'and empties the picker');
    await shot(page, 'several-parties');

    await page.getByLabel('Gemeenten bij naam').fill('Mol\nDessel; Retie, Nergenshuizen');
    g.expect(422, `/agreements/${ID}/parties/add`);
    assert.equal((await submit(page, 'Eerst bekijken')).status(), 422);
    const bad = page.locator('table.several tr.invalid');
    assert.equal(await bad.count(), 1, 'one name is a problem');
    const cells = await bad.locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 3), ['Nergenshuizen', '–', '–']);
    assert.match(cells[3], /^'Nergenshuizen' is geen gemeente op 01\/01\/2025; bedoelde u .+\?$/);
    assert.equal(await page.locator('table.several tbody tr').count(), 4, 'each name has its row');
    await shot(page, 'several-parties-problems');

    await page.getByLabel('Gemeenten bij naam').fill('Mol\nDessel; retie');
    assert.equal((await submit(page, 'Eerst bekijken')).status(), 200);
    assert.equal(await text(page.locator('#preview-h')), 'Voorbeeld: er is nog niets bewaard');
    assert.deepEqual(await page.locator('table.several tbody td:nth-child(4)').allTextContents(),
      ['wordt toegevoegd', 'wordt toegevoegd', 'wordt toegevoegd']);
    assert.deepEqual(await page.locator('table.several tbody td:nth-child(3)').allTextContents(), ['13025', '13006', '13036']);
    await shot(page, 'several-parties-preview');
    await submit(page, 'Partijen toevoegen');
    assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`);
    assert.deepEqual((await partyRows(page)).map((r) => r.party), ['Mol 13025', 'Dessel 13006', 'Retie 13036']);
  });

  await t.test('the approvals of all parties in one table', async () => {
    await Promise.all([page.waitForURL(`${BASE}/agreements/${ID}/approvals/edit`),
      page.getByRole('link', { name: 'Goedkeuringen van alle partijen invullen' }).click()]);
    assert.equal(await page.locator('table.approvals tbody tr').count(), 3);
    await page.getByLabel('Mol: goedgekeurd op').fill('2024-11-18');
    await page.getByLabel('Dessel: goedgekeurd op').fill('2024-11-25');
    await page.getByLabel('Retie: goedgekeurd op').fill('2024-12-02');
    await page.getByLabel('Retie: link naar het besluit').fill('geen link');
    g.expect(422, `/agreements/${ID}/approvals`);
    assert.equal((await submit(page, 'Goedkeuringen bewaren')).status(), 422);
    const error = page.locator('#f-parties-2--evidence-url-error');
    assert.match(await text(error), /is geen webadres/);
    assert.equal(await page.getByLabel('Mol: goedgekeurd op').inputValue(), '2024-11-18', 'what was typed stays');
    await shot(page, 'approvals-problems');
    await page.getByLabel('Retie: link naar het besluit').fill('https://lokaalbeslist.vlaanderen.be/retie/punt-7');
    await shot(page, 'approvals');
    await submit(page, 'Goedkeuringen bewaren');
    assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`);
    assert.deepEqual((await partyRows(page)).map((r) => r.approved.slice(0, 10)), ['18/11/2024', '25/11/2024', '02/12/2024']);
  });
  await g.done();
});

test('issue 11 without JavaScript: the id proposed on the first save, parties by name, the table', async (t) => {
  const g = await guardedIn(browser, { javaScriptEnabled: false });
  const page = await g.context.newPage();
  await signIn(page);
  const id = `${ID}-2`; // the first is taken: the proposal is unique

  await t.test('an empty id: the proposal is shown first, nothing is written', async () => {
    await open(page, '/agreements/new');
    await fillAgreement(page);
    g.expect(422, '/agreements');
    assert.equal((await submit(page, 'Overeenkomst aanmaken')).status(), 422);
    assert.equal(await page.locator('#f-id').inputValue(), id);
    assert.match(await text(page.locator('#f-id-error')), /^nog niet aangemaakt: controleer de voorgestelde id/);
    assert.equal(await page.getByLabel(/^Titel/).inputValue(), TITLE, 'what was typed stays');
    await shot(page, 'new-agreement-proposed-id-nojs');
    await submit(page, 'Overeenkomst aanmaken');
    assert.equal(new URL(page.url()).pathname, `/agreements/${id}`);
  });

  await t.test('several parties by name, and one by name in the party form', async () => {
    await open(page, `/agreements/${id}/parties/add`);
    assert.equal(await page.locator('#f-one-name').isVisible(), false, 'no picker without JavaScript');
    await page.getByLabel('Gemeenten bij naam').fill('Balen, Meerhout');
    await shot(page, 'several-parties-nojs');
    await submit(page, 'Partijen toevoegen');
    assert.equal(new URL(page.url()).pathname, `/agreements/${id}`);
    await open(page, `/agreements/${id}/parties/new`);
    await page.getByLabel(/^Gemeente \(naam/).fill('laakdal');
    await page.getByLabel(/^Vanaf/).fill('2025-09-01');
    await shot(page, 'party-by-name-nojs');
    await submit(page, 'Partij toevoegen');
    assert.equal(new URL(page.url()).pathname, `/agreements/${id}`);
    assert.deepEqual((await partyRows(page)).map((r) => r.party), ['Balen 13003', 'Meerhout 13021', 'Laakdal 13053']);
  });

  await t.test('the approvals table', async () => {
    await open(page, `/agreements/${id}/approvals/edit`);
    await page.getByLabel('Balen: goedgekeurd op').fill('2024-11-20');
    await page.getByLabel('Balen: agendapunt').fill('punt 12');
    await submit(page, 'Goedkeuringen bewaren');
    assert.equal(new URL(page.url()).pathname, `/agreements/${id}`);
    assert.match((await partyRows(page))[0].approved, /^20\/11\/2024/);
  });
  await g.done();
});
