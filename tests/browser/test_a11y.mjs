// Accessibility of every page (issue 11): axe-core (npm) in Debian's chromium,
// WCAG 2.1 A and AA rules, at 1280 and at 375 px wide, over
//   - every public page: one sample URL per public GET route of src/route.c,
//     read from tests/http/test_http.py (SAMPLES), so the two lists are one;
//   - every page behind a sign-in (the other GET routes of src/route.c, the
//     samples below), as the VDAB account and as the administrator that
//     tests/browser/run.sh makes;
//   - forms sent back with their errors shown, the login refused, a 404;
// and fails on any violation of impact "serious" or "critical", printing the
// page, the width, the rule, the element and how to fix it (the milder ones
// are printed as notes). Then the map's text alternatives: the skip links,
// the keyboard path to the list of municipalities, the live region after a
// date change, the map at 375 px (no sideways scroll, the legend readable,
// the enlarge link), and screenshots at both widths.
//
// Run by tests/browser/run.sh (on a database copy of its own, as it publishes an edition); alone:
//   SOMON=build/test/somon tests/browser/run.sh test_a11y.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, SHOTS, axeViolations, launch, text } from './lib.mjs';

if (!BASE) throw new Error('SOMON_URL is not set (run tests/browser/run.sh)');
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FAIL_ON = new Set(['serious', 'critical']);
const WIDTHS = [1280, 375];
const EDIT = { login: process.env.SOMON_EDIT_LOGIN, password: process.env.SOMON_EDIT_PASSWORD };
const ADMIN = { login: process.env.SOMON_ADMIN_LOGIN, password: process.env.SOMON_ADMIN_PASSWORD };
const AG = 'SO-MECHELEN-2021'; // directorate Antwerpen: the VDAB account may edit it
const COOP = 'CO-A11Y-ZITDAG'; // made below, for the cooperation's forms

// ---- the pages ----------------------------------------------------------------

// (method, pattern, permission) of every route of src/route.c, as test_http.py reads them.
function routes() {
  const source = readFileSync(join(REPO, 'src/route.c'), 'utf8');
  const table = source.slice(source.indexOf('ROUTES[]'), source.indexOf('};', source.indexOf('ROUTES[]')));
  return [...table.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,\s*(\w+)(?:,\s*\w+)*\s*\}/g)].map((m) => m.slice(1));
}

// The HTML samples of test_http.py: { pattern: url }.
function publicSamples() {
  const code = 'import json, sys; sys.path.insert(0, "tests/http"); import test_http as t; ' +
    'print(json.dumps({p: u for p, (u, c) in t.SAMPLES.items() if c == t.HTML}))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code], { cwd: REPO, encoding: 'utf8' }));
}

// One URL per GET route that needs a sign-in ("admin": only the administrator
// may open it). :n of a party is the municipality Mechelen's row; the
// meeting and the cooperation are made by the test before it opens them.
const SIGNED_IN = {
  '/agreements/new': '/agreements/new',
  '/agreements/:id/edit': `/agreements/${AG}/edit`,
  '/agreements/:id/parties/new': `/agreements/${AG}/parties/new`,
  '/agreements/:id/parties/add': `/agreements/${AG}/parties/add`,
  '/agreements/:id/approvals/edit': `/agreements/${AG}/approvals/edit`,
  '/agreements/upload': '/agreements/upload',
  '/agreements/:id/parties/:n/edit': `/agreements/${AG}/parties/1/edit`,
  '/agreements/:id/parties/:n/leave': `/agreements/${AG}/parties/1/leave`,
  '/agreements/:id/plan/edit': `/agreements/${AG}/plan/edit`,
  '/agreements/:id/governance/edit': `/agreements/${AG}/governance/edit`,
  '/agreements/:id/notes/edit': `/agreements/${AG}/notes/edit`,
  '/agreements/:id/evaluations/edit': `/agreements/${AG}/evaluations/edit`,
  '/agreements/:id/meetings/new': `/agreements/${AG}/meetings/new`,
  '/agreements/:id/meetings/:n/edit': 'meeting', // found on the agreement page once made
  '/mine': '/mine',
  '/accounts': 'admin:/accounts',
  '/regiegebieden/new': '/regiegebieden/new',
  '/regiegebieden/:id/edit': '/regiegebieden/RG-KINA/edit',
  '/organisations/new': '/organisations/new',
  '/organisations/:id/edit': '/organisations/KINA/edit',
  '/cooperations/new': '/cooperations/new',
  '/cooperations/:id/edit': `/cooperations/${COOP}/edit`,
  '/cooperations/:id/end': `/cooperations/${COOP}/end`,
  '/municipalities/:nis/outreach/new': '/municipalities/11001/outreach/new',
  '/editions/new': '/editions/new',
};

// Forms sent back with errors: [form page, the form's action, values to set]
// (an empty value clears the field; the browser's own checks are switched off).
const ERROR_FORMS = [
  ['/agreements/new', '/agreements', { id: '', title: '' }],
  [`/agreements/${AG}/edit`, `/agreements/${AG}`, { title: '' }],
  [`/agreements/${AG}/parties/new`, `/agreements/${AG}/parties`, {}],
  [`/agreements/${AG}/parties/add`, `/agreements/${AG}/parties/add`, { names: 'Nergenshuizen' }],
  [`/agreements/${AG}/meetings/new`, `/agreements/${AG}/meetings`, { held_on: '' }],
  ['/regiegebieden/new', '/regiegebieden', {}],
  ['/organisations/new', '/organisations', {}],
  ['/cooperations/new', '/cooperations', {}],
  ['/municipalities/11001/outreach/new', '/municipalities/11001/outreach', { on: '' }],
  ['/editions/new', '/editions', { date: '' }],
  ['/accounts', '/accounts', { login: '', password: 'kort' }],
];

// ---- axe ----------------------------------------------------------------------

const found = []; // every serious or critical violation, as printed
const notes = new Map(); // rule -> pages, for the milder ones

// Runs axe-core on the loaded page at each width; records what it finds.
async function axe(page, label) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 800 });
    // somon.js gives a box that scrolls sideways a Tab stop 50 ms after a resize;
    // wait until every box agrees with its width (a fixed 150 ms was too short
    // for a CI run with the other stages beside it: a false violation)
    await page.waitForFunction(() => [...document.querySelectorAll('.scroll, .map-frame')]
      .every((b) => (b.scrollWidth > b.clientWidth + 1) === b.hasAttribute('tabindex')), null, { timeout: 5000 })
      .catch(() => {}); // axe then reports what is left
    for (const v of await axeViolations(page)) {
      if (!FAIL_ON.has(v.impact)) {
        const pages = notes.get(`${v.id} (${v.impact}): ${v.help}`) || new Set();
        pages.add(label);
        notes.set(`${v.id} (${v.impact}): ${v.help}`, pages);
        continue;
      }
      for (const n of v.nodes) {
        found.push(`${label} @ ${width} px: [${v.impact}] ${v.id}: ${v.help}\n` +
          `    element: ${n.target.join(' ')}  ${n.html.replace(/\s+/g, ' ').slice(0, 160)}\n` +
          `    fix: ${n.failureSummary.replace(/\s+/g, ' ')}\n    see: ${v.helpUrl}`);
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// A context that reports page errors and CSP violations (HTTP errors are
// provoked on purpose here: each visit checks its own status).
async function context(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-BE' });
  ctx.setDefaultTimeout(20000);
  const problems = [];
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  ctx.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  ctx.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  return { ctx, problems };
}

async function visit(page, path, status = 200) {
  const r = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.equal(r.status(), status, `GET ${path}`);
}

async function signIn(page, who) {
  await visit(page, '/login');
  await page.getByLabel('Login').fill(who.login);
  await page.getByLabel('Wachtwoord').fill(who.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Aanmelden', exact: true }).click()]);
  assert.match(await text(page.locator('header.site .account')), new RegExp(`Aangemeld als ${who.login}`));
}

// Sets the fields of the form posting to action, switches the browser's
// checks off and sends it; returns the answer's status.
async function send(page, action, values) {
  const form = page.locator(`main form[method="post"][action="${action}"]`).last();
  await form.evaluate((f) => { f.noValidate = true; });
  for (const [name, value] of Object.entries(values)) {
    const field = form.locator(`[name="${name}"]`).first();
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
    form.locator('button[type="submit"]').last().click()]);
  return response.status();
}

function report() {
  for (const [rule, pages] of notes) console.log(`note (not failing): ${rule} on ${[...pages].slice(0, 4).join(', ')}${pages.size > 4 ? ` and ${pages.size - 4} more` : ''}`);
  for (const f of found) console.log(f);
  console.log(`axe: ${found.length} serious or critical violation(s)`);
}

// ---- the tests ------------------------------------------------------------------

test('axe-core, WCAG 2.1 A and AA, at 1280 and 375 px, on every page', async (t) => {
  const browser = await launch();
  const { ctx, problems } = await context(browser);
  const page = await ctx.newPage();
  try {
    const samples = publicSamples();
    const all = routes();
    const htmlPublic = all.filter(([m, , perm]) => m === 'GET' && perm === 'PERM_PUBLIC').map(([, p]) => p).filter((p) => p in samples);
    assert.ok(htmlPublic.length >= 25, `public HTML pages from test_http.py: ${htmlPublic.length}`);
    const signed = all.filter(([m, , perm]) => m === 'GET' && perm !== 'PERM_PUBLIC').map(([, p]) => p);
    assert.deepEqual(signed.filter((p) => !(p in SIGNED_IN)), [], 'GET routes behind a sign-in without a sample in test_a11y.mjs');
    assert.deepEqual(Object.keys(SIGNED_IN).filter((p) => !signed.includes(p)), [], 'samples of routes that are gone');

    await t.test('signed in as the administrator: the pages, the forms with errors, an edition published', async () => {
      await signIn(page, ADMIN);
      // what the samples need: an edition (/editions/1), a meeting, a cooperation
      await visit(page, '/editions/new');
      await page.getByLabel(/Vraag/).fill('Hoeveel gemeenten zijn gedekt?');
      assert.ok((await send(page, '/editions', { date: '2023-06-30', prognosis: '2023-12-31' })) < 400, 'an edition is published');
      await visit(page, `/agreements/${AG}/meetings/new`);
      assert.ok((await send(page, `/agreements/${AG}/meetings`, { held_on: '2023-01-16', state: 'held' })) < 400, 'a meeting is recorded');
      await visit(page, '/cooperations/new');
      assert.ok((await send(page, '/cooperations', { id: COOP, municipality: '11001', kind: 'zitdag', title: 'Zitdag', from: '2023-01-01' })) < 400,
        'a cooperation is recorded');
      await visit(page, `/agreements/${AG}`);
      const meeting = await page.locator(`a[href^="/agreements/${AG}/meetings/"][href$="/edit"]`).first().getAttribute('href');
      for (const [pattern, sample] of Object.entries(SIGNED_IN)) {
        const path = sample === 'meeting' ? meeting : sample.replace(/^admin:/, '');
        await visit(page, path);
        await axe(page, `${path} (admin; ${pattern})`);
      }
      for (const [path, action, values] of ERROR_FORMS) {
        await visit(page, path);
        const status = await send(page, action, values);
        assert.ok(status >= 400, `${action} with errors: ${status}`);
        assert.ok(await page.locator('main .error, main .problems, main [role="alert"]').count(), `${action}: the errors are shown`);
        await axe(page, `POST ${action} with errors (admin)`);
      }
    });

    await t.test('signed in as VDAB Antwerpen: its own pages', async () => {
      await ctx.clearCookies();
      await signIn(page, EDIT);
      for (const path of ['/mine', `/agreements/${AG}`, `/agreements/${AG}/edit`, '/alerts']) {
        await visit(page, path);
        await axe(page, `${path} (vdab)`);
      }
      await ctx.clearCookies();
    });

    await t.test('the public pages, the outreach map, the login refused, a page that does not exist', async () => {
      for (const pattern of htmlPublic) {
        await visit(page, samples[pattern]);
        await axe(page, `${samples[pattern]} (${pattern})`);
      }
      for (const path of ['/?date=2023-06-30&map=outreach', '/?date=2026-06-30', '/?date=2016-06-30', '/municipalities/11002']) {
        await visit(page, path);
        await axe(page, path);
      }
      await visit(page, '/agreements/SO-BESTAAT-NIET', 404);
      await axe(page, '/agreements/SO-BESTAAT-NIET (404)');
      await visit(page, '/login');
      await page.getByLabel('Login').fill('niemand');
      await page.getByLabel('Wachtwoord').fill('verkeerd wachtwoord');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Aanmelden', exact: true }).click()]);
      await axe(page, 'POST /login refused');
    });
  } finally {
    report();
    await ctx.close();
    await browser.close();
  }
  assert.deepEqual(problems, [], 'no page errors or CSP violations');
  assert.equal(found.length, 0, `${found.length} serious or critical axe-core violation(s), listed above`);
});

// ---- the map for every reader ------------------------------------------------------

test('the map: skip links, the keyboard reaches the list, the date change is announced, 375 px', async (t) => {
  const browser = await launch();
  const { ctx, problems } = await context(browser);
  const page = await ctx.newPage();
  try {
    await t.test('Tab from the top: the skip link first, then past the map to the list in a few stops', async () => {
      await visit(page, '/?date=2023-06-30');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#main', 'the first stop skips to the content');
      assert.equal(await page.locator('main#main').count(), 1);
      // the map itself holds no stop: Tab from the skip link past the map reaches the list
      assert.equal(await page.evaluate(() => [...document.querySelectorAll('svg.map *')]
        .filter((e) => e.tabIndex >= 0 || e.matches('a[href]')).length), 0, 'no focusable element inside the map');
      let stops = 1, at = null;
      while (stops < 400) {
        await page.keyboard.press('Tab');
        stops++;
        at = await page.evaluate(() => {
          const e = document.activeElement;
          return { list: !!e.closest('#map-list'), skip: e.classList.contains('skip-map'), text: e.textContent.trim().slice(0, 40) };
        });
        if (at.list) break;
      }
      assert.ok(at?.list, 'Tab reaches the list of municipalities');
      console.log(`Tab stops from the top to the list of municipalities: ${stops}`);
      assert.ok(stops <= 100, `the list is ${stops} Tab stops from the top (the map no longer holds 300)`);
      // the skip link past the map lands on the list: the next Tab is in it
      await visit(page, '/?date=2023-06-30');
      const skip = page.locator('a.skip-map');
      assert.equal(await text(skip), 'Ga voorbij de kaart');
      await skip.focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement.closest('#map-list')), 'after the skip link, Tab is in the list');
      // the list opens with the keyboard and names each municipality's state
      await page.keyboard.press('Enter');
      const first = page.locator('#map-list details[open] li').first();
      assert.match(await text(first), /^\S.*: \S/, 'a municipality and its state in words');
    });

    await t.test('a date change is announced in the live region', async () => {
      await visit(page, '/?date=2016-06-30');
      const live = page.locator('[aria-live="polite"]#map-status');
      assert.match(await text(live), /^Kaart op 30\/06\/2016: \d+ van \d+ gemeenten gedekt\.$/);
      const before = await text(live);
      const range = page.locator('#month');
      const value = await range.evaluate((r) => {
        // the month of June 2023 on the slider
        const first = document.querySelector('form.dates').dataset.first;
        return String((2023 - Number(first.slice(0, 4))) * 12 + 5 - (Number(first.slice(5, 7)) - 1));
      });
      await range.fill(value);
      await page.waitForFunction((old) => document.getElementById('map-status').textContent !== old, before);
      assert.match(await text(live), /^Kaart op 30\/06\/2023: \d+ van 300 gemeenten gedekt\.$/);
      assert.match(await text(page.locator('#map-h')), /30\/06\/2023/, 'the map was redrawn');
    });

    await t.test('at 375 px: no sideways scroll, the legend readable, the map can be enlarged', async () => {
      for (const path of ['/?date=2023-06-30', '/?date=2023-06-30&map=outreach']) {
        await page.setViewportSize({ width: 375, height: 800 });
        await visit(page, path);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${path}: the page does not scroll sideways`);
        const legend = page.locator('.map-legend');
        assert.ok(await legend.isVisible(), 'the legend is shown');
        const box = await legend.evaluate((l) => {
          const items = [...l.querySelectorAll('li')].map((li) => li.getBoundingClientRect());
          return { right: Math.max(...items.map((r) => r.right)), left: Math.min(...items.map((r) => r.left)), fontSize: parseFloat(getComputedStyle(l).fontSize) };
        });
        assert.ok(box.left >= 0 && box.right <= 375, `the legend fits: ${box.left}..${box.right}`);
        assert.ok(box.fontSize >= 14, `legend text ${box.fontSize} px`);
        const name = `a11y-map${path.includes('outreach') ? '-outreach' : ''}`;
        await page.locator('section.map').screenshot({ path: join(SHOTS, `${name}-375.png`) });
        // enlarge: the map at full width inside its own scrolling box, without JavaScript
        const zoom = page.locator('a.map-zoom');
        const small = await page.locator('svg.map').evaluate((s) => s.getBoundingClientRect().width);
        await zoom.click();
        const big = await page.locator('svg.map').evaluate((s) => s.getBoundingClientRect().width);
        assert.ok(big >= 2 * small, `the enlarged map is wider: ${small} -> ${big} px`);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'the enlarged map scrolls in its own box, not the page');
        await page.screenshot({ path: join(SHOTS, `${name}-375-enlarged.png`) });
        await page.setViewportSize({ width: 1280, height: 900 });
        await visit(page, path);
        await page.locator('section.map').screenshot({ path: join(SHOTS, `${name}-1280.png`) });
      }
    });

    await t.test('the states can be told apart without colour: a pattern per state, in the legend too', async () => {
      await visit(page, '/?date=2023-06-30');
      const fills = await page.evaluate(() => [...document.querySelectorAll('.map-legend li')].map((li) => {
        const swatch = li.querySelector('[fill^="url(#"]');
        return swatch && swatch.getAttribute('fill');
      }));
      assert.equal(fills.length, 5);
      assert.equal(new Set(fills).size, 5, `a distinct pattern per state: ${fills}`);
      for (const f of fills) assert.equal(await page.locator(`pattern${f.slice(4, -1)}`).count(), 1, `${f} exists`);
      // as a reader without colour vision sees it (Chromium's emulation), for a person to look at
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Emulation.setEmulatedVisionDeficiency', { type: 'achromatopsia' });
      await page.locator('section.map').screenshot({ path: join(SHOTS, 'a11y-map-1280-grey.png') });
      await cdp.send('Emulation.setEmulatedVisionDeficiency', { type: 'none' });
    });
  } finally {
    await ctx.close();
    await browser.close();
  }
  assert.deepEqual(problems, [], 'no page errors or CSP violations');
});
