// The demo register of `make run` as a newcomer meets it (issue 13): on the
// database test_demo.setup.sh builds with the Makefile's own lines. The
// overview says the register is compiled from public sources and partial, and
// its link explains; from the list of agreements a click opens an agreement
// compiled from public sources, whose section Bronnen links the published
// pages (the links are checked, not followed: the guard refuses other hosts),
// and a party's municipality is a click further. axe-core finds no serious or
// critical violation on those pages, at 1280 and 375 px.
//
// Run by tests/browser/run.sh; alone: SOMON=build/test/somon tests/browser/run.sh test_demo.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, SHOTS, axeViolations, guarded, launch, open, text } from './lib.mjs';

if (!BASE) throw new Error('SOMON_URL is not set (run tests/browser/run.sh)');
const SENTENCE = 'Publieke bronnen, onvolledig: dit register is samengesteld uit publieke bronnen';
const AG_TITLE = 'Samenwerkingsovereenkomst Beringen en Heusden-Zolder met VDAB';

async function accessible(page, label) {
  const found = [];
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 800 });
    for (const v of await axeViolations(page))
      if (v.impact === 'serious' || v.impact === 'critical')
        found.push(`${label} @ ${width} px: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(found, [], `${label}: no serious or critical accessibility violation`);
}

test('a newcomer clicks from the overview to the page where a fact was published', async () => {
  const browser = await launch();
  const g = await guarded(browser);
  const page = await g.context.newPage();
  try {
    await open(page, '/');
    const banner = page.locator('#register-notice');
    assert.ok((await text(banner)).startsWith(SENTENCE), 'the overview says the register is partial');
    await accessible(page, '/');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), banner.getByRole('link', { name: 'Meer over de bronnen' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/bronnen');
    assert.match(await text(page.locator('main')), /minstens één bron/);
    await accessible(page, '/bronnen');

    await open(page, '/agreements?q=Beringen');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name: AG_TITLE }).first().click()]);
    assert.match(new URL(page.url()).pathname, /^\/agreements\/PB-/);
    const sources = page.locator('section[aria-labelledby="sources-h"]');
    const links = sources.locator('a[rel="noopener noreferrer"]');
    assert.ok(await links.count() >= 2, 'two sources (they disagree on the start)');
    for (const href of await links.evaluateAll((as) => as.map((a) => a.href)))
      assert.match(href, /^https?:\/\/(www\.beringen\.be|extranet\.vdab\.be)\//, 'a link to the published page');
    assert.match(await text(page.locator('section[aria-labelledby="notes-h"]')), /Tegenstrijdige bronnen/);
    await page.screenshot({ path: join(SHOTS, 'demo-agreement.png') });
    await accessible(page, 'the agreement page');

    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('a[href^="/municipalities/71070"]').first().click()]);
    assert.match(new URL(page.url()).pathname, /^\/municipalities\/71070$/);
    await accessible(page, 'the municipality page');

    await open(page, '/municipalities/23009');
    const ringtv = page.locator('a[href^="https://www.ringtv.be/"]').first();
    assert.ok(await ringtv.isVisible(), "Bever's outreach note links the article it comes from");
    await accessible(page, 'Bever');
  } finally {
    await page.close();
    await g.done();
    await browser.close();
  }
});
