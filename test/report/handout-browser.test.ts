/**
 * The MDT handout of every published and example case, printed by headless Chromium: at
 * most two pages on A4 and on Letter, the vessel drawing present and drawn, nothing wider
 * than the printable width, nothing loaded from the network.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { browserSuite, inspectHtml } from '../support/browser.js';
import { renderHandout } from '../support/handout.js';
import { ROOT } from '../support/paths.js';

const CASES = ['fixtures/cases/published', 'fixtures/cases/examples'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .sort()
    .map((f) => join(dir, f)),
);

/** The handout's own @page margin (plan-html.ts); the printable width is measured with it. */
const MARGIN_MM = 8;

browserSuite('the MDT handout in Chromium', (browser) => {
  it('there are published and example cases to print', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(9);
  });

  it.each(CASES)('%s: ≤ 2 pages on A4 and Letter, the drawing drawn, no item split, no overflow, offline', async (file) => {
    const html = await renderHandout(join(ROOT, file), { date: '2026-03-02' });
    const r = await inspectHtml(browser(), html, { marginMm: MARGIN_MM });
    expect(r.pages.A4).toBeLessThanOrEqual(2);
    expect(r.pages.Letter).toBeLessThanOrEqual(2);
    const drawing = r.svgs.find((s) => s.id === 'vessel-drawing');
    expect(drawing).toBeDefined();
    expect(drawing!.box.width).toBeGreaterThan(100);
    expect(drawing!.contentBox.width).toBeGreaterThan(100);
    expect(drawing!.contentBox.height).toBeGreaterThan(200);
    expect(drawing!.shapes).toBeGreaterThan(15);
    expect(r.split).toEqual([]); // no item of a list begins in one column and ends in the next
    expect(r.overflow.elements).toEqual([]);
    expect(r.overflow.document).toBe(false);
    expect(r.requests).toEqual([]);
  });
});
