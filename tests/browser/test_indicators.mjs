// Browser test of issue 5's indicator dashboard: a reader opens the
// indicators from the menu, sees that the demo figures are synthetic, goes to
// Oost-Vlaanderen and to the Scheldeland agreement, and finds in the tables
// the figures worked out here from data/demo/indicators-synthetic.csv (with
// the 2025 mergers: Zwijndrecht's 2024 figures count in Oost-Vlaanderen,
// where its successor lies); the charts have text alternatives and the CSV
// download matches. Run by tests/browser/run.sh, whose database has the
// synthetic set imported with --synthetic. Screenshots: indicators-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, guarded as guardedIn, launch, open, SHOTS, text } from './lib.mjs';

if (!BASE) throw new Error('SOMON_URL is not set (run tests/browser/run.sh)');
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const guarded = (options) => guardedIn(browser, options);
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `indicators-${name}.png`), fullPage: true });

// ---- the figures, worked out from the files ----
const csv = (file) => readFileSync(join(REPO, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const values = csv('data/demo/indicators-synthetic.csv'); // nis,period,indicator,value
const municipalities = csv('data/municipalities.csv');    // nis,name,province_nis,province,arr,valid_from,valid_to
const successor = new Map(csv('data/mergers.csv').filter((r) => r[7] === '2025-01-01').map((r) => [r[0], r[3]]));
const province2025 = new Map(municipalities.filter((r) => !r[6]).map((r) => [r[0], r[3]]));
const sum = (rows) => rows.reduce((s, r) => s + Number(r[3]), 0);
const nl = (n) => n.toLocaleString('nl-BE', { maximumFractionDigits: 0 }).replace(/\u202f|\u00a0/g, '.');

// The cells of the table of one indicator (by its section id) in the row of a period label.
async function row(page, code, period) {
  return page.evaluate(([c, p]) => {
    const tr = [...document.querySelectorAll(`#ind-${c} table tbody tr`)]
      .find((r) => r.querySelector('th').textContent.trim() === p);
    return tr ? [...tr.children].map((x) => x.textContent.replace(/\s+/g, ' ').trim()) : null;
  }, [code, period]);
}

test('the dashboard of Flanders: from the menu, synthetic and said so, a chart and table per indicator', async () => {
  const g = await guarded();
  const page = await g.context.newPage();
  await open(page, '/');
  await page.getByRole('link', { name: 'Indicatoren', exact: true }).first().click();
  await page.waitForURL('**/indicators');
  assert.equal(await text(page.locator('h1')), 'Indicatoren: Vlaanderen');
  assert.equal(await page.locator('nav[aria-label="Hoofdmenu"] a[aria-current="page"]').textContent(), 'Indicatoren');
  const notice = await text(page.locator('.synthetic-notice'));
  assert.match(notice, /^Synthetische cijfers\. .*geen echte cijfers/);
  const sections = await page.locator('section.indicator').count();
  assert.equal(sections, 5);
  // every chart has a name and a description; every section says synthetic
  for (const svg of await page.locator('section.indicator svg').all()) {
    assert.match(await svg.getAttribute('role'), /^img$/);
    const title = await svg.locator(':scope > title').textContent();
    assert.match(title, /\(synthetische cijfers\)$/);
    assert.ok((await svg.locator(':scope > desc').textContent()).length > 10);
    assert.ok(await svg.locator('polyline').count() >= 1);
  }
  assert.equal(await page.locator('section.indicator h2 .synthetic').count(), 5);
  // Flanders' job seekers in 2024-Q4: the 300 municipalities of 2024
  const q4 = values.filter((r) => r[1] === '2024-Q4' && r[2] === 'nwwz');
  assert.equal(q4.length, 300);
  assert.deepEqual(await row(page, 'nwwz', '4e kw. 2024'), ['4e kw. 2024', nl(sum(q4)), '300/300', 'synthetisch']);
  // the employment rate is weighted, not averaged: 100 * sum(werkenden) / sum(bevolking)
  const y = (ind) => sum(values.filter((r) => r[1] === '2025' && r[2] === ind));
  const rate = (100 * y('werkenden_15_64') / y('bevolking_15_64')).toFixed(1).replace('.', ',');
  assert.deepEqual(await row(page, 'werkzaamheidsgraad', '2025'), ['2025', `${rate} %`, '285/285', 'synthetisch']);
  await shot(page, 'flanders');
  await g.done();
});

test('a province across the mergers, against Flanders, with its download', async () => {
  const g = await guarded();
  const page = await g.context.newPage();
  await open(page, '/indicators');
  await page.getByRole('link', { name: 'Oost-Vlaanderen', exact: true }).click();
  await page.waitForURL('**/provinces/Oost-Vlaanderen/indicators');
  assert.equal(await text(page.locator('h1')), 'Indicatoren: provincie Oost-Vlaanderen');
  // 2024-Q4 in Oost-Vlaanderen on the 2025 map: every municipality whose 2025 successor lies there
  const inOvl = (nis) => province2025.get(successor.get(nis) || nis) === 'Oost-Vlaanderen';
  const q4 = values.filter((r) => r[1] === '2024-Q4' && r[2] === 'nwwz' && inOvl(r[0]));
  assert.ok(q4.some((r) => r[0] === '11056'), 'Zwijndrecht counts in Oost-Vlaanderen');
  const flanders = sum(values.filter((r) => r[1] === '2024-Q4' && r[2] === 'nwwz'));
  assert.deepEqual(await row(page, 'nwwz', '4e kw. 2024'),
    ['4e kw. 2024', nl(sum(q4)), `${q4.length}/${q4.length}`, nl(flanders), '300/300', 'synthetisch']);
  const q1 = values.filter((r) => r[1] === '2025-Q1' && r[2] === 'nwwz' && province2025.get(r[0]) === 'Oost-Vlaanderen');
  assert.equal(q1.length, 55);
  assert.equal((await row(page, 'nwwz', '1e kw. 2025'))[1], nl(sum(q1)));
  // two lines per chart: the province and Flanders, named in the legend
  const legend = await page.locator('#ind-nwwz svg .legend text').allTextContents();
  assert.deepEqual(legend, ['Oost-Vlaanderen', 'Vlaanderen']);
  assert.match(await text(page.locator('#ind-nwwz figcaption')), /^Index: de eerste periode/);
  // the download of this indicator has the same figure
  const href = await page.locator('#ind-nwwz .downloads a', { hasText: 'CSV' }).getAttribute('href');
  assert.equal(href, '/provinces/Oost-Vlaanderen/indicators?indicator=nwwz&format=csv');
  const r = await page.request.get(BASE + href);
  assert.equal(r.status(), 200);
  // for people: Excel in nl-BE (a BOM, ';', Dutch headers and words; docs/downloads.md)
  const lines = (await r.text()).replace(/^\ufeff/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'Indicator;Periode;Gebied;Waarde;Gemeenten met cijfer;Gemeenten in gebied;Vlaanderen;' +
    'Vlaanderen: gemeenten met cijfer;Vlaanderen: gemeenten;Eenheid;Synthetisch');
  assert.ok(lines.includes(`nwwz;2024-Q4;Oost-Vlaanderen;${sum(q4)};${q4.length};${q4.length};${flanders};300;300;personen;ja`));
  await shot(page, 'oost-vlaanderen');
  await g.done();
});

test('an agreement: its municipalities against Flanders', async () => {
  const g = await guarded();
  const page = await g.context.newPage();
  await open(page, '/agreements/SO-SCHELDELAND-2021/indicators');
  const parties = ['42003', '42004', '42008', '42010', '42011', '42025', '42026', '42028'];
  const q2 = values.filter((r) => r[1] === '2023-Q2' && r[2] === 'nwwz' && parties.includes(r[0]));
  assert.equal(q2.length, 8);
  assert.equal((await row(page, 'nwwz', '2e kw. 2023')).slice(1, 3).join(' '), `${nl(sum(q2))} 8/8`);
  await page.locator('details.members summary').click();
  assert.equal(await page.locator('details.members li').count(), 8);
  assert.equal(await page.locator('.crumbs a').nth(1).getAttribute('href'), '/agreements/SO-SCHELDELAND-2021');
  await shot(page, 'scheldeland');
  await g.done();
});
