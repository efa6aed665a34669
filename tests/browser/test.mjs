// Browser tests for somon: Debian's chromium driven by playwright-core.
// Run by tests/browser/run.sh, which starts a server on a demo database and
// passes its address as SOMON_URL. Plain node:test, no other framework.
//
// Every context is guarded: a request to any host but the server's is aborted
// and fails the test, and so do console errors, uncaught page errors, CSP
// violations, failed requests and HTTP errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.SOMON_URL;
if (!BASE) throw new Error('SOMON_URL is not set (run tests/browser/run.sh)');
const HOST = new URL(BASE).host;
const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(HERE, 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium-headless-shell';
// The flags this machine needs (see .library/env/machines/c.md). Playwright
// adds a fresh --user-data-dir of its own for every launch.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The main pages: each is checked for accessibility and saved as a screenshot.
const PAGES = [
  ['overview', '/'],
  ['overview-2025-06-30', '/?date=2025-06-30'],
  ['overview-outreach-2023-06-30', '/?date=2023-06-30&map=outreach'],
  ['agreements', '/agreements'],
  ['agreement-SO-MECHELEN-2021', '/agreements/SO-MECHELEN-2021'],
  ['municipality-12025', '/municipalities/12025'],
  ['province-Oost-Vlaanderen', '/provinces/Oost-Vlaanderen'],
  ['regiegebieden', '/regiegebieden'],
  ['annex-2023-06-30-Oost-Vlaanderen', '/annex?date=2023-06-30&province=Oost-Vlaanderen'],
  ['governance-2023-06-30', '/governance?date=2023-06-30'],
  ['answer-2023-06-30', '/answer?date=2023-06-30&prognosis=2023-12-31'],
  ['concluded-2021-2023', '/concluded?from=2021-01-01&to=2023-06-30'],
  ['editions', '/editions'],
  ['cooperations', '/cooperations'],
  ['organisations', '/organisations'],
];

let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});
after(async () => { await browser?.close(); });

// A new context whose every page reports what goes wrong into problems.
async function guarded(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-BE', ...options });
  context.setDefaultTimeout(15000);
  const problems = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host !== HOST) {
      problems.push(`request to another host: ${u.href}`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  // Runs before the page's own scripts (and outside its CSP): reports CSP
  // violations through the console, where they are caught below.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
  });
  context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  context.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || '';
    // the slider aborts a redraw that a newer one overtakes; blocked hosts are reported above
    if (!/ERR_ABORTED|ERR_BLOCKED_BY_CLIENT/.test(why)) problems.push(`request failed: ${r.url()} ${why}`);
  });
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { context, problems, done: async () => {
    await context.close();
    assert.deepEqual(problems, [], 'no console errors, page errors, CSP violations or foreign requests');
  } };
}

async function open(page, path) {
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET ${path}`);
  return response;
}

const muniCount = (page) => page.locator('svg.map g.muni').count();

// A point of the page that lies inside the given municipality of the map
// (the centre of its box may fall in a neighbour), for a real mouse click.
async function pointInside(page, nis) {
  const p = await page.evaluate((code) => {
    const a = document.querySelector(`svg.map g.muni[data-nis="${code}"]`);
    a.scrollIntoView({ block: 'center' });
    const r = a.getBoundingClientRect();
    for (let n = 4; n <= 64; n *= 2)
      for (let i = 1; i < n; i++)
        for (let j = 1; j < n; j++) {
          const x = r.left + (r.width * i) / n, y = r.top + (r.height * j) / n;
          if (document.elementFromPoint(x, y)?.closest('g.muni') === a) return { x, y };
        }
    return null;
  }, nis);
  assert.ok(p, `a point inside municipality ${nis} on the map`);
  return p;
}

// ---- 0. the guard itself: it does see what it is meant to see ---------------

test('guard: a foreign request, a console error and a CSP violation are caught', async () => {
  const { context, problems } = await guarded();
  const page = await context.newPage();
  await open(page, '/agreements');
  await page.evaluate(() => console.error('guard check'));
  // an inline style: the CSP says no, and the violation event comes a moment later
  await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', () => setTimeout(resolve, 0), { once: true });
    document.body.setAttribute('style', 'color: red');
    setTimeout(resolve, 2000);
  }));
  await assert.rejects(page.goto('http://somon-guard-check.invalid/'), 'the foreign navigation is aborted');
  await context.close();
  const all = problems.join('\n');
  assert.match(all, /request to another host: http:\/\/somon-guard-check\.invalid\//);
  assert.match(all, /console error: guard check/);
  assert.match(all, /CSP violation: style-src-attr/);
  assert.match(all, /Content Security Policy/, "Chromium's own report of the violation");
});

// ---- 1. the map switches vintage across 1/1/2025 ----------------------------

test('map: 300 municipalities on 31/12/2024, 285 from 1/1/2025 (form and slider)', async () => {
  const { context, done } = await guarded();
  const page = await context.newPage();
  await open(page, '/?date=2024-12-31');
  assert.equal(await muniCount(page), 300);
  assert.match(await page.locator('h1').textContent(), /31\/12\/2024/);

  // The form: a plain GET, a full navigation.
  await page.fill('#date', '2025-01-01');
  await Promise.all([page.waitForURL(/date=2025-01-01/), page.click('form.dates button[type="submit"]')]);
  await page.waitForLoadState('load');
  assert.equal(await muniCount(page), 285);
  assert.match(await page.locator('h1').textContent(), /01\/01\/2025/);

  // The slider, added by somon.js, with the keyboard: redraws in place.
  const slider = page.locator('#month');
  await slider.waitFor();
  assert.equal(await page.locator('label[for="month"]').count(), 1, 'the slider has a label');
  await page.evaluate(() => { window.__somonMarker = 'same document'; });
  const documents = [], fetches = [];
  page.on('request', (r) => (r.resourceType() === 'document' ? documents : fetches).push(r.url()));

  await slider.focus();
  await page.keyboard.press('ArrowLeft'); // January 2025 -> December 2024
  await page.waitForFunction(() => document.querySelectorAll('svg.map g.muni').length === 300);
  assert.match(await page.locator('h1').textContent(), /31\/12\/2024/);
  assert.equal(await page.inputValue('#date'), '2024-12-31');
  assert.match(await page.locator('output[for="month"]').textContent(), /31\/12\/2024/);
  await page.waitForURL(/date=2024-12-31/);

  await page.keyboard.press('ArrowRight'); // back to January 2025
  await page.waitForFunction(() => document.querySelectorAll('svg.map g.muni').length === 285);
  assert.match(await page.locator('h1').textContent(), /31\/01\/2025/);
  await page.waitForURL(/date=2025-01-31/);
  // the table was redrawn too, and its download link follows the date
  assert.match(await page.locator('.downloads a', { hasText: 'CSV' }).getAttribute('href'), /date=2025-01-31/);

  assert.equal(await page.evaluate(() => window.__somonMarker), 'same document', 'no full navigation');
  assert.deepEqual(documents, [], 'the slider loads no new document');
  assert.ok(fetches.some((u) => u.includes('date=2024-12-31')) && fetches.some((u) => u.includes('date=2025-01-31')),
    `the slider fetched both months: ${fetches.join(', ')}`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'month', 'focus stays on the slider');
  await done();
});

// The slider belongs to the overview: other pages with a date form (alerts,
// evaluations) keep their form alone, so a date there never jumps to / (issue 11).
test('the date slider is on the overview only', async () => {
  const { context, done } = await guarded();
  const page = await context.newPage();
  await open(page, '/alerts?date=2025-10-15');
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('#month').count(), 0, 'no slider on /alerts');
  await page.fill('#date', '2025-10-20');
  await Promise.all([page.waitForNavigation(), page.click('form.dates button[type="submit"]')]);
  assert.match(page.url(), /\/alerts\?/, `the alerts form stays on /alerts: ${page.url()}`);
  await open(page, '/?date=2023-06-30');
  await page.locator('#month').waitFor();
  await done();
});

// ---- 2. a click on the map leads to the municipality -------------------------

test('map: clicking a municipality opens its page', async () => {
  const { context, done } = await guarded();
  const page = await context.newPage();
  await open(page, '/?date=2023-06-30');
  const mechelen = page.locator('svg.map g.muni[data-nis="12025"]');
  assert.match(await mechelen.locator('title').textContent(), /^Mechelen/);
  assert.equal(await mechelen.locator('path').getAttribute('class'), 's-covered', 'Mechelen is covered on 30/06/2023');
  const { x, y } = await pointInside(page, '12025');
  await Promise.all([page.waitForURL(/\/municipalities\/12025\?date=2023-06-30$/), page.mouse.click(x, y)]);
  assert.match(await page.locator('h1').textContent(), /^Mechelen\b/);
  assert.match(await page.title(), /^Mechelen – somon$/);

  // the same with the keyboard, through the list under the map (the map
  // itself is one image, not 300 Tab stops): open Oost-Vlaanderen, Melle, Enter
  await open(page, '/?date=2023-06-30');
  await page.locator('#map-list summary', { hasText: 'Oost-Vlaanderen' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#map-list a[href="/municipalities/44040?date=2023-06-30"]').focus();
  await Promise.all([page.waitForURL(/\/municipalities\/44040\?date=2023-06-30$/), page.keyboard.press('Enter')]);
  assert.match(await page.locator('h1').textContent(), /^Melle\b/);
  await done();
});

// ---- 3. the CSV download matches the API --------------------------------------

test('download: the overview CSV holds the API CSV\'s figures, Excel-ready for people', async () => {
  const { context, done } = await guarded({ acceptDownloads: true });
  const page = await context.newPage();
  await open(page, '/?date=2023-06-30');
  const prognosis = await page.inputValue('#prognosis');
  assert.equal(prognosis, '2023-12-31');
  const link = page.getByRole('link', { name: 'CSV', exact: true });
  assert.match(await page.locator('.downloads').textContent(), /Download deze tabel: CSV/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'dekking-2023-06-30.csv');
  const csv = readFileSync(await download.path(), 'utf8');

  const api = await context.request.get(`${BASE}/api/v1/coverage?date=2023-06-30&prognosis=${prognosis}&format=csv`);
  assert.equal(api.status(), 200);
  assert.match(api.headers()['content-type'], /^text\/csv/);
  // the page's CSV is for people (BOM, ';', Dutch headers, 30/06/2023); the API's for machines
  assert.ok(csv.startsWith('\ufeffProvincie;Datum;Gemeenten gedekt;'), csv.slice(0, 40));
  assert.match(csv, /\r\n/);
  const iso = (v) => v.replace(/^(\d\d)\/(\d\d)\/(\d{4})$/, '$3-$2-$1');
  const machine = (line) => line.split(';').map(iso).join(',');
  const want = (await api.text()).trim().split(/\n/), got = csv.replace(/^\ufeff/, '').trim().split(/\r\n/);
  assert.match(want[0], /^province,date,covered,total,pct,/);
  assert.equal(got.length, want.length, 'as many rows');
  const row = (lines) => lines.find((l) => l.startsWith('Vlaanderen,'));
  assert.ok(row(got.map(machine)), 'a Vlaanderen row');
  assert.equal(row(got.map(machine)), row(want), 'Vlaanderen row');
  assert.deepEqual(got.slice(1).map(machine), want.slice(1), 'every row');
  await done();
});

// ---- 4. without JavaScript ----------------------------------------------------

test('without JavaScript: every page works, the overview form changes the date', async () => {
  const { context, done } = await guarded({ javaScriptEnabled: false });
  const page = await context.newPage();
  await open(page, '/');
  assert.ok(await page.locator('table.coverage tbody tr').count() >= 6, 'the coverage table');
  assert.equal(await muniCount(page), 285, 'the map of today (after 2025)');
  assert.equal(await page.locator('form.dates').count(), 1, 'the date form');
  assert.equal(await page.locator('#month').count(), 0, 'no slider without JavaScript');

  await page.fill('#date', '2024-12-31');
  await Promise.all([page.waitForURL(/date=2024-12-31/), page.click('form.dates button[type="submit"]')]);
  assert.match(await page.locator('h1').textContent(), /31\/12\/2024/);
  assert.equal(await muniCount(page), 300);

  for (const [, path] of PAGES) {
    await open(page, path);
    assert.equal(await page.locator('h1').count(), 1, `${path}: one h1`);
    // each filter form can be sent as it is
    const form = page.locator('form.filters');
    if (await form.count()) {
      const action = await form.getAttribute('action');
      // the next navigation, not the URL: the form's action is often the page itself, whose
      // URL waitForURL took as reached at once (a CI run then counted the h1s mid-load)
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type="submit"]').click()]);
      assert.equal(new URL(page.url()).pathname, action, `${path}: the filter form goes to its action`);
      assert.equal(await page.locator('h1').count(), 1, `${path}: the filter form answers`);
    }
  }
  await done();
});

// ---- 5. accessibility ------------------------------------------------------

// Checks one loaded page; returns a list of what is wrong.
function auditPage() {
  const bad = [];
  const name = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ').trim();
    return (el.getAttribute('aria-label') || '').trim();
  };
  if (document.documentElement.lang !== 'nl-BE') bad.push(`html lang is "${document.documentElement.lang}"`);
  const title = document.title.trim();
  if (!/^\S.{2,} – somon$/.test(title)) bad.push(`title "${title}" does not name the page`);
  if (document.querySelectorAll('h1').length !== 1) bad.push('not exactly one h1');
  if (document.querySelectorAll('main').length !== 1) bad.push('not exactly one main');
  let level = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const l = Number(h.tagName[1]);
    if (l > level + 1) bad.push(`heading ${h.tagName} "${h.textContent.trim()}" skips a level`);
    level = l;
  }
  const ids = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (ids.has(el.id)) bad.push(`duplicate id ${el.id}`);
    ids.add(el.id);
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset'].includes(el.type)) continue;
    const label = [...(el.labels || [])].map((l) => l.textContent).join(' ').trim() || name(el);
    if (!label) bad.push(`${el.tagName.toLowerCase()}#${el.id || el.name} has no label`);
  }
  for (const b of document.querySelectorAll('button')) if (!b.textContent.trim() && !name(b)) bad.push('a button without a name');
  for (const t of document.querySelectorAll('table')) {
    const ths = t.querySelectorAll('th');
    if (!ths.length) bad.push(`table "${t.caption?.textContent || ''}" has no th`);
    for (const th of ths) if (!th.hasAttribute('scope')) bad.push(`th "${th.textContent.trim()}" has no scope`);
    if (!t.caption?.textContent.trim()) bad.push('a table without a caption');
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) bad.push(`img ${img.src} without alt`);
  for (const svg of document.querySelectorAll('main svg')) {
    if (svg.getAttribute('role') !== 'img' && svg.getAttribute('aria-hidden') !== 'true') bad.push(`svg.${svg.getAttribute('class')} has no role="img"`);
    else if (svg.getAttribute('role') === 'img' && !name(svg) && !svg.querySelector(':scope > title')?.textContent.trim()) bad.push(`svg.${svg.getAttribute('class')} has no accessible name`);
  }
  for (const a of document.querySelectorAll('a[href]'))
    if (!a.textContent.trim() && !name(a) && !a.getAttribute('title')) bad.push(`link to ${a.getAttribute('href')} has no text`);

  // Text contrast (WCAG 1.4.3) of the visible HTML text on its backdrop.
  const rgba = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const backdrop = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length === 4 ? c[3] > 0.5 : c.length === 3) return c;
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || seen.has(el) || el.closest('svg, script, style')) continue;
    seen.add(el);
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (!r.width || !r.height || r.right < 0 || cs.visibility === 'hidden') continue;
    const fg = rgba(cs.color), bg = backdrop(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05), size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
    const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    if (ratio < need) bad.push(`contrast ${ratio.toFixed(2)} < ${need} for "${n.textContent.trim().slice(0, 40)}"`);
  }
  return bad;
}

test('accessibility: lang, title, labels, table headers, names, contrast on every main page', async () => {
  const { context, done } = await guarded();
  const page = await context.newPage();
  const bad = [];
  for (const [, path] of [...PAGES, ['municipalities', '/municipalities'], ['regiegebied', '/regiegebieden/RG-KINA']]) {
    await open(page, path);
    for (const b of await page.evaluate(auditPage)) bad.push(`${path}: ${b}`);
  }
  assert.deepEqual(bad, []);
  // the map's text alternatives: an accessible name, a name per municipality,
  // the same figures as a table, and the list of every municipality
  await open(page, '/?date=2023-06-30');
  assert.match(await page.locator('svg.map').getAttribute('role'), /^img$/);
  assert.match(await page.evaluate(() => {
    const svg = document.querySelector('svg.map');
    return svg.getAttribute('aria-label') ||
      (svg.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent).join(' ');
  }), /Gemeenten met een samenwerkingsovereenkomst op 30\/06\/2023/);
  const titles = await page.locator('svg.map g.muni > title').allTextContents();
  assert.equal(titles.length, 300);
  assert.ok(titles.every((t) => /^\S.* — /.test(t)), 'every municipality of the map names itself and its state');
  assert.equal(await page.locator('section.map a[href^="/municipalities?"]').count(), 1, 'the map links to the list');
  await done();
});

test('accessibility: keyboard focus is visible on the skip link, links and the list under the map', async () => {
  const { context, done } = await guarded();
  const page = await context.newPage();
  await open(page, '/?date=2023-06-30');
  const seen = { skip: false, link: false, list: null, slider: false };
  for (let i = 0; i < 400 && !seen.list; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el), r = el.getBoundingClientRect();
      // Tab also visits the calendar button inside a date field (Chromium's
      // own shadow DOM, with Chromium's own focus ring): the field itself is
      // then only :focus-within.
      const inner = el.matches('input[type="date"]') && !el.matches(':focus') && el.matches(':focus-within');
      return {
        inner, tag: el.tagName.toLowerCase(), cls: el.getAttribute('class') || '', id: el.id, href: el.getAttribute('href'),
        visible: el.matches(':focus-visible'), outline: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth),
        inView: r.bottom > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight && r.width > 0,
        list: !!el.closest('#map-list'), inMap: !!el.closest('svg.map'),
      };
    });
    assert.ok(f, `Tab ${i + 1} focuses something`);
    if (f.inner) continue;
    assert.ok(f.visible, `Tab ${i + 1}: ${f.tag}.${f.cls} matches :focus-visible`);
    assert.ok(f.inView, `Tab ${i + 1}: ${f.tag}.${f.cls} ${f.href || f.id} is on screen`);
    if (i === 0) {
      assert.equal(f.cls, 'skip', 'the first Tab reaches the skip link');
      seen.skip = true;
    }
    if (f.tag === 'a' && f.cls !== 'muni' && f.href) {
      assert.notEqual(f.outline, 'none', `link ${f.href} shows an outline`);
      assert.ok(f.outlineWidth >= 2, `link ${f.href}: outline ${f.outlineWidth}px`);
      seen.link = true;
    }
    if (f.id === 'month') {
      assert.notEqual(f.outline, 'none', 'the slider shows an outline');
      seen.slider = true;
    }
    assert.ok(!f.inMap, `Tab ${i + 1}: nothing inside the map takes focus`);
    if (f.list) seen.list = f.tag;
  }
  assert.deepEqual({ ...seen, list: !!seen.list }, { skip: true, link: true, list: true, slider: true });
  // the list's first province opens with Enter; its first municipality is a link
  assert.equal(seen.list, 'summary', 'the list starts with a province');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.getAttribute('href'));
  assert.match(first, /^\/municipalities\/\d{5}\?date=2023-06-30$/);
  await Promise.all([page.waitForURL((u) => u.pathname + u.search === first), page.keyboard.press('Enter')]);
  await done();
});

test('no page shows an unknown format conversion ("%?" from buf_fmt)', async () => {
  const { context, done } = await guarded();
  const page = await context.newPage();
  const bad = [];
  for (const [, path] of [...PAGES, ['', '/?date=2023-06-30'], ['', '/municipalities'], ['', '/regiegebieden/RG-KINA']]) {
    await open(page, path);
    // the whole document, the closed <details> (the chart's table) included
    for (const line of (await page.content()).split('\n')) if (line.includes('%?')) bad.push(`${path}: ${line.trim().slice(0, 120)}`);
  }
  assert.deepEqual(bad.slice(0, 5), []);
  await done();
});

test('reflow (WCAG 1.4.10): at 320 px wide no page scrolls sideways', async () => {
  const { context, done } = await guarded({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const bad = [];
  for (const [, path] of PAGES) {
    await open(page, path);
    // tables may scroll inside their own .scroll box; the page itself may not
    const wide = await page.evaluate(() => {
      if (document.documentElement.scrollWidth <= innerWidth) return null;
      const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const r = document.createRange();
        r.selectNodeContents(n);
        if (r.getBoundingClientRect().right > innerWidth && !n.parentElement.closest('.scroll'))
          return `${document.documentElement.scrollWidth} px, e.g. <${n.parentElement.tagName.toLowerCase()}> "${n.textContent.trim().slice(0, 40)}"`;
      }
      return `${document.documentElement.scrollWidth} px`;
    });
    if (wide) bad.push(`${path}: ${wide}`);
  }
  assert.deepEqual(bad, []);
  await done();
});

// ---- 6. screenshots for a person to look at ----------------------------------

test('screenshots of the main pages into tests/browser/screenshots/', async () => {
  mkdirSync(SHOTS, { recursive: true });
  const { context, done } = await guarded();
  const page = await context.newPage();
  for (const [file, path] of PAGES) {
    await open(page, path);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, `${file}.png`), fullPage: true });
  }
  // the overview as a phone shows it, and as it prints
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [file, path] of [['overview', '/?date=2023-06-30'], ['municipality-12025', '/municipalities/12025']]) {
    await open(page, path);
    await page.screenshot({ path: join(SHOTS, `${file}-mobile.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ media: 'print' });
  for (const [file, path] of [['overview', '/?date=2023-06-30'], ['agreement-SO-MECHELEN-2021', '/agreements/SO-MECHELEN-2021']]) {
    await open(page, path);
    await page.screenshot({ path: join(SHOTS, `${file}-print.png`), fullPage: true });
  }
  await done();
});
