/** The headless-Chromium helper itself: page counts, SVG boxes, overflow, offline, the CI guard. */
import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumAvailable, countPdfPages, inspectHtml, shouldSkipBrowserTests } from '../support/browser.js';

const doc = (body: string, style = '') => `<!doctype html><html><head><meta charset="utf-8"><style>${style}</style></head><body>${body}</body></html>`;

describe('the guard', () => {
  it('never skips in CI, skips outside CI only without Chromium', () => {
    expect(shouldSkipBrowserTests({ CI: 'true' })).toBe(false);
    expect(shouldSkipBrowserTests({ CI: '1' })).toBe(false);
    expect(shouldSkipBrowserTests({})).toBe(!chromiumAvailable());
    expect(shouldSkipBrowserTests({ CI: '' })).toBe(!chromiumAvailable());
  });

  it('counts pages from the page tree of a PDF', () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Pages /Count 2 /Kids [2 0 R 3 0 R]>>\n2 0 obj <</Type /Page /Parent 1 0 R>>\n3 0 obj <</Type /Page /Parent 1 0 R>>\n', 'latin1');
    expect(countPdfPages(pdf)).toBe(2);
    expect(() => countPdfPages(Buffer.from('%PDF-1.4\n', 'latin1'))).toThrow(/no pages/);
  });
});

browserSuite('headless Chromium helper', (browser) => {
  it('a short page prints on one page, a long one on more, on A4 and Letter', async () => {
    const short = await inspectHtml(browser(), doc('<p>one line</p>'));
    expect(short.pages).toEqual({ A4: 1, Letter: 1 });
    const long = await inspectHtml(browser(), doc('<div style="height:700mm">tall</div>'));
    expect(long.pages.A4).toBeGreaterThanOrEqual(3);
    expect(long.pages.Letter).toBeGreaterThanOrEqual(3);
  });

  it('reports SVG elements with their drawn box; an empty SVG has an empty content box', async () => {
    const r = await inspectHtml(browser(), doc('<svg id="drawn" width="200" height="100"><rect x="10" y="20" width="50" height="30"/></svg><svg id="empty" width="10" height="10"></svg>'));
    const drawn = r.svgs.find((s) => s.id === 'drawn')!;
    expect(drawn.contentBox).toEqual({ x: 10, y: 20, width: 50, height: 30 });
    expect(drawn.shapes).toBe(1);
    expect(drawn.box.width).toBe(200);
    const empty = r.svgs.find((s) => s.id === 'empty')!;
    expect(empty.contentBox.width * empty.contentBox.height).toBe(0);
  });

  it('finds content wider than the printable page', async () => {
    const ok = await inspectHtml(browser(), doc('<p>fits</p>'));
    expect(ok.overflow.document).toBe(false);
    expect(ok.overflow.elements).toEqual([]);
    const wide = await inspectHtml(browser(), doc('<div id="wide" style="width:300mm">too wide</div>'));
    expect(wide.overflow.document).toBe(true);
    expect(wide.overflow.elements).toContain('div#wide');
  });

  it('loads nothing from the network and lists what the page asked for', async () => {
    const r = await inspectHtml(browser(), doc('<img src="https://example.org/x.png" alt="x">'));
    expect(r.requests).toEqual(['https://example.org/x.png']);
  });
});
