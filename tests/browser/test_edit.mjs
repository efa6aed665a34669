// Browser test of issue 4's user story: a VDAB network manager signs in,
// registers a new agreement, adds two municipalities, records their councils'
// approval, signs the agreement, sees the overview (table and map) change, and
// signs out. Run by tests/browser/run.sh after test.mjs, against the same
// server; run.sh made the account with `somon user add` before the server
// started and passes it as SOMON_EDIT_LOGIN / SOMON_EDIT_PASSWORD.
//
// The agreement lies where the demo data has nothing: Turnhout (13040) and
// Geel (13008), in the province of Antwerpen, untouched by the 2025 mergers.
// The test reads the overview before it changes anything and expects exactly
// these two municipalities more, on exactly the dates the rules say.
//
// Every context is guarded as in test.mjs (console errors, page errors, CSP
// violations, foreign requests, failed requests, HTTP errors); the few error
// statuses the story provokes on purpose are announced with expect().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { guarded as guardedIn, launch, open, SHOTS, submit, text } from './lib.mjs';

const BASE = process.env.SOMON_URL;
const LOGIN = process.env.SOMON_EDIT_LOGIN;
const PASSWORD = process.env.SOMON_EDIT_PASSWORD;
if (!BASE || !LOGIN || !PASSWORD) throw new Error('SOMON_URL, SOMON_EDIT_LOGIN or SOMON_EDIT_PASSWORD is not set (run tests/browser/run.sh)');
const HOST = new URL(BASE).host;

// The agreement this test creates (the database is a fresh one per run).
const ID = 'SO-TEST-KEMPEN-2024';
const TITLE = 'Samen sterk voor werk in de Kempen';
const TURNHOUT = '13040', GEEL = '13008';
const START = '2024-03-01', END = '2025-12-31', GEEL_FROM = '2024-06-01';
const EDIT_PAGES = [`/agreements/${ID}/edit`, `/agreements/${ID}/parties/new`, `/agreements/${ID}/parties/0/edit`,
  `/agreements/${ID}/notes/edit`, '/agreements/new'];
// Dates the overview is looked at, and how many of the two each should cover.
const DATES = [
  { date: '2024-02-29', covered: 0, why: 'the day before the start' },
  { date: START, covered: 1, why: 'the start: Turnhout only' },
  { date: '2024-05-31', covered: 1, why: 'the day before Geel joins' },
  { date: GEEL_FROM, covered: 2, why: 'Geel joins' },
  { date: '2024-06-30', covered: 2, why: 'both' },
  { date: '2025-06-30', covered: 2, why: 'both, on the map of the 285' },
  { date: '2026-01-01', covered: 0, why: 'the day after the end' },
];
const PROGNOSIS = '2024-12-31';
const overviewPath = (date) => `/?date=${date}&prognosis=${PROGNOSIS}`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const guarded = (options) => guardedIn(browser, options);

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `edit-${name}.png`), fullPage: true });

// One row of the overview's table: "n/N" and "%" for the date and the prognosis.
async function coverageRow(page, province) {
  const row = page.locator('table.coverage tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${province}$`) }) });
  assert.equal(await row.count(), 1, `one row for ${province}`);
  const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
  const nN = (s) => { const m = /^(\d+)\/(\d+)$/.exec(s); assert.ok(m, `"${s}" is n/N`); return [Number(m[1]), Number(m[2])]; };
  const [covered, total] = nN(cells[0]), [pCovered, pTotal] = nN(cells[2]);
  return { covered, total, pct: cells[1], pCovered, pTotal, pPct: cells[3], regions: cells[4] };
}

// What the overview shows on a date: the rows of Antwerpen and Vlaanderen,
// the class of the two municipalities on the map and the map's description.
async function overview(page, date) {
  await open(page, overviewPath(date));
  const state = async (nis) => page.locator(`svg.map g.muni[data-nis="${nis}"] path`).getAttribute('class');
  const title = async (nis) => text(page.locator(`svg.map g.muni[data-nis="${nis}"] > title`));
  const desc = await text(page.locator('svg.map desc'));
  const m = /Gedekt: (\d+), gedeeltelijk gedekt: (\d+), ondertekend, begindatum onbekend: (\d+), in voorbereiding: (\d+), geen overeenkomst: (\d+) \((\d+) gemeenten\)/.exec(desc);
  assert.ok(m, `the map's description: ${desc}`);
  return {
    antwerpen: await coverageRow(page, 'Antwerpen'),
    vlaanderen: await coverageRow(page, 'Vlaanderen'),
    map: { [TURNHOUT]: await state(TURNHOUT), [GEEL]: await state(GEEL) },
    titles: { [TURNHOUT]: await title(TURNHOUT), [GEEL]: await title(GEEL) },
    desc: { covered: Number(m[1]), none: Number(m[5]), all: Number(m[6]) },
  };
}

const pct = (n, total) => String(Math.floor((200 * n + total) / (2 * total))); // SPEC §3: half up

// The error shown for a field: in the field's own paragraph, tied to the
// control by aria-describedby, and on screen next to it.
async function fieldError(page, id) {
  const control = page.locator(`#${id}`);
  assert.equal(await control.getAttribute('aria-invalid'), 'true', `#${id} is marked invalid`);
  const errorId = await control.getAttribute('aria-describedby');
  assert.ok(errorId, `#${id} is described by its error`);
  const error = page.locator(`#${errorId}`);
  assert.equal(await page.locator(`p.field.invalid:has(#${id}) > #${errorId}`).count(), 1, `the error of #${id} is in its field`);
  const [c, e] = [await control.boundingBox(), await error.boundingBox()];
  assert.ok(c && e && e.width > 0, `the error of #${id} is visible`);
  assert.ok(Math.abs((e.y + e.height / 2) - (c.y + c.height / 2)) < 60, `the error of #${id} is beside it (${JSON.stringify({ c, e })})`);
  return text(error);
}

// The facts list of the agreement's page as { Status: …, Begin: … }.
async function facts(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('dl.facts dt')].map((dt) =>
    [dt.textContent.trim(), dt.nextElementSibling.textContent.replace(/\s+/g, ' ').trim()])));
}

// The parties table of the agreement's page, one object per row.
async function partyRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('section[aria-labelledby="parties-h"] tbody tr')].map((tr) => {
    const c = [...tr.children].map((td) => td.textContent.replace(/\s+/g, ' ').trim());
    return { party: c[0], approved: c[1], covers: c[2], signatories: c[3] };
  }));
}

// ---- the story -----------------------------------------------------------------

test('issue 4: sign in, register an agreement, add and approve two municipalities, sign it, sign out', async (t) => {
  const anon = await guarded();
  const reader = await anon.context.newPage();
  const editor = await guarded();
  const page = await editor.context.newPage();
  const before = {};

  await t.test('before: the two municipalities have no agreement on any of the dates', async () => {
    for (const { date } of DATES) {
      const o = await overview(reader, date);
      assert.deepEqual(o.map, { [TURNHOUT]: 's-none', [GEEL]: 's-none' }, `${date}: map`);
      assert.match(o.titles[TURNHOUT], /^Turnhout — geen overeenkomst$/);
      assert.match(o.titles[GEEL], /^Geel — geen overeenkomst$/);
      assert.equal(o.antwerpen.total, date < '2025-01-01' ? 69 : 67, `${date}: municipalities of Antwerpen`);
      before[date] = o;
    }
    // nobody is signed in: no edit links, and the agreement does not exist yet
    await open(reader, '/agreements');
    assert.equal(await reader.getByRole('link', { name: 'Nieuwe overeenkomst' }).count(), 0);
    assert.match(await text(reader.locator('header.site .account')), /^Aanmelden$/);
    anon.expect(404, `/agreements/${ID}`);
    const missing = await reader.goto(`${BASE}/agreements/${ID}`);
    assert.equal(missing.status(), 404);
  });

  await t.test('sign in: an edit page sends to /login, a wrong password is refused, the right one returns there', async () => {
    await open(page, '/agreements/new', '/login?next=%2Fagreements%2Fnew');
    assert.equal(await text(page.locator('h1')), 'Aanmelden');
    assert.equal(await page.locator('form.login input[name="next"]').inputValue(), '/agreements/new');
    await shot(page, 'login');

    editor.expect(403, '/login');
    await page.getByLabel('Login').fill(LOGIN);
    await page.getByLabel('Wachtwoord').fill(`${PASSWORD}x`);
    const refused = await submit(page, 'Aanmelden');
    assert.equal(refused.status(), 403);
    assert.equal(await text(page.locator('main [role="alert"]')), 'Verkeerde login of wachtwoord.');
    assert.equal(await page.getByLabel('Login').inputValue(), LOGIN, 'the login is kept');
    assert.equal(await page.getByLabel('Wachtwoord').inputValue(), '', 'the password is not sent back');
    assert.equal((await editor.context.cookies()).filter((c) => c.name === 'somon_session').length, 0, 'no session');

    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await submit(page, 'Aanmelden');
    assert.equal(new URL(page.url()).pathname, '/agreements/new', 'back where the login was asked for');
    assert.equal(await text(page.locator('h1')), 'Nieuwe overeenkomst');
    assert.equal(await text(page.locator('header.site form.account p')), `Aangemeld als ${LOGIN} (VDAB) Mijn overeenkomsten Afmelden`);
    const session = (await editor.context.cookies()).find((c) => c.name === 'somon_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Strict', 'an HttpOnly, SameSite=Strict session cookie');
  });

  await t.test('create: an invalid agreement is refused with the errors beside the fields, the input kept', async () => {
    // the directorate offers only the province of the account's scope
    assert.deepEqual(await page.locator('#f-vdab_directorate option').evaluateAll((o) => o.map((x) => x.value)), ['Antwerpen']);
    assert.equal(await page.locator('#f-status').inputValue(), 'draft', 'a new agreement starts as a draft');
    await shot(page, 'new-agreement');
    await page.getByLabel(/^Id /).fill(ID);
    await page.getByLabel(/^Titel/).fill(TITLE);
    // a new agreement has no approved party yet: it cannot start as signed or terminated
    assert.deepEqual(await page.locator('#f-status option').evaluateAll((o) => o.map((x) => x.value)),
      ['draft', 'negotiating', 'agreed_in_principle', 'awaiting_approval']);
    await page.getByLabel('Status').selectOption('negotiating');
    await page.getByLabel('Begin', { exact: true }).fill('2026-03-01'); // after the end
    await page.getByLabel('Einde', { exact: true }).fill(END);

    editor.expect(422, '/agreements');
    const refused = await submit(page, 'Overeenkomst aanmaken');
    assert.equal(refused.status(), 422);
    assert.match(await text(page.locator('.problems[role="alert"] > p')), /^Er is niets bewaard\. Verbeter eerst:$/);
    assert.equal(await fieldError(page, 'f-end'), 'ligt voor het begin; een overeenkomst eindigt op of na haar begin');
    // the summary names the field in Dutch and links to it
    assert.equal(await text(page.locator('.problems li')), 'einde: ligt voor het begin; een overeenkomst eindigt op of na haar begin');
    assert.equal(await page.locator('.problems a[href="#f-end"]').count(), 1, 'the summary links to the field');
    // what was typed is still there
    assert.equal(await page.getByLabel(/^Id /).inputValue(), ID);
    assert.equal(await page.getByLabel(/^Titel/).inputValue(), TITLE);
    assert.equal(await page.getByLabel('Status').inputValue(), 'negotiating');
    assert.equal(await page.getByLabel('Einde', { exact: true }).inputValue(), END);
    assert.equal(await page.getByLabel('Begin', { exact: true }).inputValue(), '2026-03-01');
    assert.equal(await page.locator('form.edit input[name="csrf"]').count(), 1, 'the form can be sent again');
    await shot(page, 'new-agreement-errors');

    // nothing was saved
    anon.expect(404, `/agreements/${ID}`);
    assert.equal((await reader.goto(`${BASE}/agreements/${ID}`)).status(), 404);
  });

  await t.test('create: a draft is saved and shown', async () => {
    await page.getByLabel('Status').selectOption('draft');
    await page.getByLabel('Begin', { exact: true }).fill('');
    await submit(page, 'Overeenkomst aanmaken');
    assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`);
    assert.equal(await text(page.locator('h1')), TITLE);
    const f = await facts(page);
    assert.match(f.Status, /^ontwerp – vandaag niet van kracht$/);
    assert.equal(f.Begin, '–');
    assert.equal(f.Einde, '31/12/2025');
    assert.equal(f['VDAB-directie'], 'Antwerpen');
    assert.deepEqual(await partyRows(page), []);
  });

  await t.test('parties: Turnhout and Geel are added from the agreement page', async () => {
    const parties = [
      { nis: TURNHOUT, index: 0, from: '', signatories: 'Paul Van Miert, burgemeester\nKatrien Bosmans, algemeen directeur',
        shown: 'Paul Van Miert, burgemeester; Katrien Bosmans, algemeen directeur' },
      { nis: GEEL, index: 1, from: GEEL_FROM, signatories: 'Marleen Peeters, voorzitter gemeenteraad',
        shown: 'Marleen Peeters, voorzitter gemeenteraad' },
    ];
    for (const p of parties) {
      await Promise.all([page.waitForURL(`${BASE}/agreements/${ID}/parties/new`), page.getByRole('link', { name: 'Partij toevoegen' }).click()]);
      assert.equal(await text(page.locator('h1')), 'Partij toevoegen');
      const base = `parties[${p.index}]`;
      const municipality = page.getByLabel(/^Gemeente \(naam/); // a name or a NIS code (issue 11)
      assert.equal(await municipality.getAttribute('name'), `${base}.municipality`, 'the field names the new party');
      if (p.index === 0) await shot(page, 'party-new');
      await page.getByLabel(/^Vanaf/).fill(p.from);
      await page.getByLabel('Ondertekenaars').fill(p.signatories);
      if (p.index === 1) { // a typo in the NIS code first
        await municipality.fill('13080');
        editor.expect(422, `/agreements/${ID}/parties`);
        assert.equal((await submit(page, 'Partij toevoegen')).status(), 422);
        assert.equal(await fieldError(page, `f-parties-1--municipality`), 'onbekende NIS-code 13080; geef de code van een Vlaamse gemeente');
        assert.equal(await municipality.inputValue(), '13080', 'the typed code is kept');
        assert.equal(await page.getByLabel(/^Vanaf/).inputValue(), p.from, 'the typed date is kept');
        assert.equal(await page.getByLabel('Ondertekenaars').inputValue(), p.signatories, 'the typed signatories are kept');
        await shot(page, 'party-new-errors');
      }
      await municipality.fill(p.nis);
      await submit(page, 'Partij toevoegen');
      assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`, `${p.nis} saved`);
    }
    const rows = await partyRows(page);
    assert.deepEqual(rows.map((r) => [r.party, r.approved, r.covers, r.signatories]), [
      [`Turnhout ${TURNHOUT}`, '–', 'nog niet (geen startdatum)', parties[0].shown],
      [`Geel ${GEEL}`, '–', 'nog niet (geen startdatum)', parties[1].shown],
    ]);
  });

  await t.test('parties: a party that leaves before it joins is refused beside its field', async () => {
    await Promise.all([page.waitForURL(`${BASE}/agreements/${ID}/parties/1/edit`),
      page.locator('section[aria-labelledby="parties-h"] tbody tr').nth(1).getByRole('link', { name: 'wijzigen' }).click()]);
    assert.equal(await text(page.locator('h1')), 'Partij wijzigen');
    assert.equal(await page.getByLabel(/^Gemeente/).inputValue(), 'Geel', 'shown by its name');
    assert.equal(await page.getByLabel(/^Vanaf/).inputValue(), GEEL_FROM);
    assert.equal(await page.getByLabel('Ondertekenaars').inputValue(), 'Marleen Peeters, voorzitter gemeenteraad');
    await page.getByLabel(/^Tot /).fill('2024-05-01');
    editor.expect(422, `/agreements/${ID}/parties/1`);
    const refused = await submit(page, 'Bewaren');
    assert.equal(refused.status(), 422);
    assert.equal(await fieldError(page, 'f-parties-1--until'), "ligt voor 'vanaf'; een partij vertrekt op of na de dag dat ze toetreedt");
    assert.equal(await page.getByLabel(/^Tot /).inputValue(), '2024-05-01', 'the typed date is kept');
    assert.equal(await page.getByLabel(/^Vanaf/).inputValue(), GEEL_FROM);
    await shot(page, 'party-edit-errors');
    await page.getByLabel(/^Tot /).fill('');
    await submit(page, 'Bewaren');
    assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`);
    assert.equal((await partyRows(page))[1].covers, 'nog niet (geen startdatum)', 'nothing changed');
  });

  const approvals = { [TURNHOUT]: ['2024-02-26', '26/02/2024'], [GEEL]: ['2024-05-27', '27/05/2024'] };

  await t.test('approve: the councils\' approval dates are recorded on both parties', async () => {
    for (const [i, nis] of [[0, TURNHOUT], [1, GEEL]]) {
      await Promise.all([page.waitForURL(`${BASE}/agreements/${ID}/parties/${i}/edit`),
        page.locator('section[aria-labelledby="parties-h"] tbody tr').nth(i).getByRole('link', { name: 'wijzigen' }).click()]);
      assert.equal(await page.getByLabel(/^Gemeente/).inputValue(), nis === GEEL ? 'Geel' : 'Turnhout');
      await page.getByLabel('Goedgekeurd door de raad op').fill(approvals[nis][0]);
      if (i === 0) await shot(page, 'party-edit');
      await submit(page, 'Bewaren');
      assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`);
    }
    assert.deepEqual((await partyRows(page)).map((r) => r.approved), [approvals[TURNHOUT][1], approvals[GEEL][1]]);
    // approved but still a draft: nothing is covered yet
    const o = await overview(reader, '2024-06-30');
    assert.deepEqual(o.map, { [TURNHOUT]: 's-none', [GEEL]: 's-none' });
    assert.deepEqual(o.antwerpen, before['2024-06-30'].antwerpen);
  });

  await t.test('sign: the status form refuses "signed" without a start, and an end before the start', async () => {
    await Promise.all([page.waitForURL(`${BASE}/agreements/${ID}/edit`), page.getByRole('link', { name: 'Velden en status bewerken' }).click()]);
    assert.equal(await text(page.locator('h1')), 'Velden en status bewerken');
    assert.equal(await page.getByLabel('Status').inputValue(), 'draft');
    assert.equal(await page.getByLabel('Einde', { exact: true }).inputValue(), END);
    await shot(page, 'agreement-edit');

    await page.getByLabel('Status').selectOption('signed');
    await page.getByLabel(/^Titel/).fill(`${TITLE} (ondertekend)`);
    editor.expect(422, `/agreements/${ID}`);
    assert.equal((await submit(page, 'Bewaren')).status(), 422);
    assert.equal(await fieldError(page, 'f-start'), 'een ondertekende overeenkomst heeft een begindatum nodig');
    assert.equal(await page.locator('.problems li').count(), 1, 'only the start is missing now: the councils approved');
    assert.equal(await page.getByLabel('Status').inputValue(), 'signed', 'the chosen status is kept');
    assert.equal(await page.getByLabel(/^Titel/).inputValue(), `${TITLE} (ondertekend)`, 'the typed title is kept');
    await shot(page, 'agreement-edit-errors');

    // a start after the end
    await page.getByLabel('Begin', { exact: true }).fill('2026-03-01');
    editor.expect(422, `/agreements/${ID}`);
    assert.equal((await submit(page, 'Bewaren')).status(), 422);
    assert.equal(await fieldError(page, 'f-end'), 'ligt voor het begin; een overeenkomst eindigt op of na haar begin');
    assert.equal(await page.locator('#f-start').getAttribute('aria-invalid'), null, 'the start itself is fine now');
    assert.equal(await page.getByLabel('Begin', { exact: true }).inputValue(), '2026-03-01', 'the typed start is kept');
    assert.equal(await page.getByLabel('Einde', { exact: true }).inputValue(), END);

    // nothing of this was saved
    await open(reader, `/agreements/${ID}`);
    assert.equal(await text(reader.locator('h1')), TITLE);
    assert.match((await facts(reader)).Status, /^ontwerp/);
  });

  await t.test('sign: with a start date the agreement is signed and its parties cover their intervals', async () => {
    await page.getByLabel(/^Titel/).fill(TITLE);
    await page.getByLabel('Begin', { exact: true }).fill(START);
    await submit(page, 'Bewaren');
    assert.equal(new URL(page.url()).pathname, `/agreements/${ID}`);
    const f = await facts(page);
    assert.match(f.Status, /^ondertekend – vandaag niet van kracht$/, 'signed; its end (2025) lies before today');
    assert.equal(f.Begin, '01/03/2024');
    assert.deepEqual((await partyRows(page)).map((r) => r.covers), ['01/03/2024 – 31/12/2025', '01/06/2024 – 31/12/2025']);
    await shot(page, 'agreement-signed');
  });

  await t.test('overview: exactly Turnhout and Geel more, on exactly the dates of their intervals', async () => {
    for (const { date, covered, why } of DATES) {
      const was = before[date], o = await overview(reader, date);
      const plus = (x, n) => ({ covered: x.covered + n, total: x.total, pct: pct(x.covered + n, x.total) });
      const pick = (x) => ({ covered: x.covered, total: x.total, pct: x.pct });
      assert.deepEqual(pick(o.antwerpen), plus(was.antwerpen, covered), `${date} (${why}): Antwerpen`);
      assert.deepEqual(pick(o.vlaanderen), plus(was.vlaanderen, covered), `${date} (${why}): Vlaanderen`);
      // the prognosis (31/12/2024) has both, whatever the date of the table
      assert.equal(o.antwerpen.pCovered, was.antwerpen.pCovered + 2, `${date}: prognosis of Antwerpen`);
      assert.equal(o.antwerpen.pPct, pct(was.antwerpen.pCovered + 2, was.antwerpen.pTotal));
      assert.equal(o.antwerpen.regions, was.antwerpen.regions, `${date}: no regiegebied changes`);
      const turnhout = date >= START && date <= END, geel = date >= GEEL_FROM && date <= END;
      assert.equal(Number(turnhout) + Number(geel), covered, 'the table of dates agrees with the intervals');
      assert.deepEqual(o.map, { [TURNHOUT]: turnhout ? 's-covered' : 's-none', [GEEL]: geel ? 's-covered' : 's-none' }, `${date} (${why}): map`);
      assert.equal(o.titles[TURNHOUT], `Turnhout — ${turnhout ? 'gedekt' : 'geen overeenkomst'}`);
      assert.deepEqual(o.desc, { covered: was.desc.covered + covered, none: was.desc.none - covered, all: was.desc.all }, `${date}: the map's description`);
    }
    // the municipality's own page names the agreement
    await open(reader, `/municipalities/${GEEL}?date=2024-06-30`);
    assert.match(await text(reader.locator('main')), new RegExp(TITLE));
    // the signed-in editor sees the same figures (those pages are not shared)
    await open(page, overviewPath('2024-06-30'));
    const row = await coverageRow(page, 'Antwerpen');
    assert.equal(row.covered, before['2024-06-30'].antwerpen.covered + 2);
  });

  await t.test('history: every saved change is recorded, by the account, and nothing for the refused ones', async () => {
    await open(page, `/history?agreement=${ID}`);
    // created, two parties added, two approvals, signed; the party edit that
    // changed nothing in the end is no change, and the refused forms are none
    assert.match(await text(page.locator('main p[role="status"]')), /^6 wijzigingen gevonden\.$/);
    const items = page.locator('ol.history > li');
    assert.equal(await items.count(), 6);
    for (const line of await items.locator('> p').allTextContents()) assert.match(line, new RegExp(`door ${LOGIN.replace(/\./g, '\\.')}`));
  });

  await t.test('sign out: the header button ends the session; edit pages send to /login again', async () => {
    // a second tab keeps an edit form open across the sign-out
    const stale = await editor.context.newPage();
    await open(stale, `/agreements/${ID}/edit`);
    await open(page, `/agreements/${ID}`);
    const session = (await editor.context.cookies()).find((c) => c.name === 'somon_session');
    await submit(page, page.locator('header.site form.account').getByRole('button', { name: 'Afmelden' }));
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await text(page.locator('header.site .account')), 'Aanmelden');
    assert.equal((await editor.context.cookies()).filter((c) => c.name === 'somon_session').length, 0, 'the cookie is gone');

    for (const path of EDIT_PAGES) await open(page, path, `/login?next=${encodeURIComponent(path)}`);
    await open(page, `/agreements/${ID}`);
    assert.equal(await page.locator('.edit-link').count(), 0, 'no edit links');
    assert.equal(await page.getByRole('button', { name: 'verwijderen' }).count(), 0, 'no remove buttons');

    // the session ended on the server too: its cookie, given back, opens nothing
    const replay = await guarded();
    await replay.context.addCookies([session]);
    const again = await replay.context.newPage();
    await open(again, `/agreements/${ID}/edit`, `/login?next=${encodeURIComponent(`/agreements/${ID}/edit`)}`);
    assert.match(await text(again.locator('header.site .account')), /^Aanmelden$/);
    await replay.done();

    // the form of the old session is refused and changes nothing
    await stale.getByLabel('Status').selectOption('terminated');
    editor.expect(403, `/agreements/${ID}`);
    const refused = await submit(stale, 'Bewaren');
    assert.equal(refused.status(), 403);
    assert.match(await text(stale.locator('main')), /er is niets gewijzigd/);
    await open(reader, `/agreements/${ID}`);
    assert.match((await facts(reader)).Status, /^ondertekend/);
    // anonymous readers see the history without the people
    await open(page, `/history?agreement=${ID}`);
    assert.equal(await page.locator('ol.history > li').count(), 6);
    assert.doesNotMatch(await text(page.locator('ol.history')), new RegExp(LOGIN.replace(/\./g, '\\.')));
  });

  await anon.done();
  await editor.done();
});
