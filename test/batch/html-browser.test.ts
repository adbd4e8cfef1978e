/**
 * The HTML batch report in headless Chromium: self-contained (no request), the four pictures
 * drawn, nothing wider than the printed page, and the heat map's numbers the matrix's counts.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runBatch } from '../../src/cli/commands/batch.js';
import type { BatchSummary } from '../../src/batch/summary.js';
import { browserSuite, inspectHtml, openHtml } from '../support/browser.js';
import { fixture, recordingIo } from './helpers.js';

async function html(paths: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const r = recordingIo();
  await runBatch({ paths, format: 'html', failOnDiscordance: false, ...extra }, r.io);
  return r.out();
}

async function summaryOf(paths: string[], extra: Record<string, unknown> = {}): Promise<BatchSummary> {
  const r = recordingIo();
  await runBatch({ paths, format: 'json', failOnDiscordance: false, summary: true, ...extra }, r.io);
  return (JSON.parse(r.out()) as { summary: BatchSummary }).summary;
}

const REGISTRY = { paths: [join(fixture('registry'), 'redcap-export.csv')], extra: { map: join(fixture('registry'), 'registry.map.yaml') } };

browserSuite('the HTML batch report in Chromium', (browser) => {
  it.each([
    ['the example cohort', ['fixtures/cohort'], {}],
    ['the registry export with its map, summary only', REGISTRY.paths, { ...REGISTRY.extra, summary: true }],
  ])('%s: self-contained, every picture drawn, nothing overflows the page', async (_name, paths, extra) => {
    const page = await inspectHtml(browser(), await html(paths, extra));
    expect(page.requests).toEqual([]);
    expect(page.overflow.elements).toEqual([]);
    expect(page.overflow.document).toBe(false);
    const svgs = new Map(page.svgs.map((s) => [s.id, s]));
    for (const id of ['confusion-matrix', 'agreement-by-type', 'operative-time', 'blood-loss']) {
      const svg = svgs.get(id);
      expect(svg, id).toBeDefined();
      expect(svg!.contentBox.width, id).toBeGreaterThan(100);
      expect(svg!.contentBox.height, id).toBeGreaterThan(50);
      expect(svg!.shapes, id).toBeGreaterThan(10);
    }
    expect(page.pages.A4).toBeGreaterThanOrEqual(2);
  });

  it('the heat map shows the confusion matrix: each cell the count, rows and columns in the same order', async () => {
    const s = await summaryOf(REGISTRY.paths, REGISTRY.extra);
    const page = await openHtml(browser(), await html(REGISTRY.paths, { ...REGISTRY.extra, summary: true }));
    try {
      const cells = (await page.evaluate(
        `Array.from(document.querySelectorAll('#confusion-matrix rect title')).map((t) => t.textContent)`,
      )) as string[];
      const m = s.concordance!.matrix;
      const expected: string[] = [];
      const used = m.actual.map((_, i) => i).filter((i) => m.counts[i]!.some((x) => x > 0) || m.counts.some((r) => r[i]! > 0));
      const cols = [...used, m.actual.length];
      for (const i of used) for (const j of cols) expected.push(`done ${m.actual[i]}, recommended ${m.recommended[j]}: ${m.counts[i]![j]}`);
      expect(cells).toEqual(expected);
      // the printed figures are the summary's
      const text = (await page.evaluate('document.body.innerText')) as string;
      expect(text).toContain(`${s.concordance!.agreement.percent} % (95 % CI ${s.concordance!.agreement.ci95!.low}–${s.concordance!.agreement.ci95!.high})`);
      expect(text).toContain(`${s.concordance!.kappa!.kappa} (95 % CI ${s.concordance!.kappa!.ci95.low}–${s.concordance!.kappa!.ci95.high})`);
    } finally {
      await page.context().close();
    }
  });

  it('shows an id with markup as text, never as markup', async () => {
    const r = recordingIo({ stdin: async function* () { yield JSON.stringify({ id: 'x', '<img src=x onerror=alert(1)>': 1, '<script>alert(1)</script>': 2 }) + '\n'; } });
    await runBatch({ paths: ['-'], format: 'html', failOnDiscordance: false }, r.io);
    const page = await openHtml(browser(), r.out());
    try {
      expect(await page.evaluate('document.querySelectorAll("script, img").length')).toBe(0);
      expect(await page.evaluate('document.body.innerText')).toContain('unknown field "<img src=x onerror=alert(1)>"');
    } finally {
      await page.context().close();
    }
  });
});
