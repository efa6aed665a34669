// Shared by the browser tests that sign in and change the register
// (test_edit.mjs, test_followup.mjs): a guarded browser context, opening a
// page, submitting a form, reading text.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = process.env.SOMON_URL;
export const HOST = BASE ? new URL(BASE).host : '';
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium-headless-shell';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Debian's chromium as its headless shell (package chromium-headless-shell: the same
// engine without the windowed browser around it, a fifth less CPU per test);
// screenshots go to SHOTS.
export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

// A context whose pages report every problem. expect(status, path) announces
// one error response the test provokes on purpose; done() fails on any other
// problem and on an announced response that never came.
export async function guarded(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-BE', ...options });
  context.setDefaultTimeout(15000);
  const problems = [], expected = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host !== HOST) {
      problems.push(`request to another host: ${u.href}`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      // Chromium logs every 4xx it receives; announced ones are not problems
      if (/Failed to load resource: the server responded with a status of (\d+)/.test(m.text()) &&
        expected.some((e) => e.seen && m.location().url.endsWith(e.path))) return;
      problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
    }
  });
  context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  context.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || '';
    if (!/ERR_ABORTED|ERR_BLOCKED_BY_CLIENT/.test(why)) problems.push(`request failed: ${r.url()} ${why}`);
  });
  context.on('response', (r) => {
    if (r.status() < 400) return;
    const u = new URL(r.url());
    const e = expected.find((x) => !x.seen && x.status === r.status() && x.path === u.pathname);
    if (e) e.seen = true;
    else problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return {
    context, problems,
    expect: (status, path) => expected.push({ status, path, seen: false }),
    done: async () => {
      await context.close();
      assert.deepEqual(problems, [], 'no console errors, page errors, CSP violations, foreign requests or unexpected HTTP errors');
      assert.deepEqual(expected.filter((e) => !e.seen).map((e) => `${e.status} ${e.path}`), [], 'every announced error response came');
    },
  };
}

export async function open(page, path, landsOn = path) {
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET ${path}`);
  const u = new URL(page.url());
  assert.equal(u.pathname + u.search, landsOn, `GET ${path} lands on ${landsOn}`);
  return response;
}

// Clicks a submit button and waits for the page the answer loads.
export async function submit(page, button) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    (typeof button === 'string' ? page.getByRole('button', { name: button, exact: true }) : button).click(),
  ]);
  return response;
}

export const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();

// axe-core (npm) on the loaded page: its violations of the WCAG 2.1 A and AA
// rules (test_a11y.mjs fails on the serious and critical ones, so does test_demo.mjs).
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export async function axeViolations(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }), AXE_TAGS);
  return result.violations;
}
