/**
 * Headless Chromium for tests that must see a page as a browser lays it out and prints it:
 * printed page counts (A4 and Letter), SVG elements with their boxes, and anything wider
 * than the printable width. Everything is rendered offline: every network request is
 * refused, so a page that needs one shows as broken (and is listed in `requests`).
 *
 * Debian's `chromium` package (/usr/bin/chromium) is used, driven by playwright-core; no
 * browser is downloaded. Use `browserSuite()` for the guard: the tests are skipped only
 * when Chromium is absent AND the CI environment variable is unset — in CI a missing
 * browser fails the suite instead of skipping it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';

/** Where Debian installs Chromium (`apt-get install chromium`); RVLMS_CHROMIUM overrides. */
export const CHROMIUM_PATH = process.env.RVLMS_CHROMIUM || '/usr/bin/chromium';

/** Flags for a quiet, offline, container-friendly browser. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export type PaperFormat = 'A4' | 'Letter';

/** Paper sizes in CSS pixels (96 per inch). */
export const PAPER_PX: Record<PaperFormat, { width: number; height: number }> = {
  A4: { width: (210 / 25.4) * 96, height: (297 / 25.4) * 96 },
  Letter: { width: 8.5 * 96, height: 11 * 96 },
};

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Skip only when Chromium is missing outside CI; in CI (CI set to anything but "" / "false") never skip. */
export function shouldSkipBrowserTests(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return !chromiumAvailable() && !ci;
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set RVLMS_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SvgInfo {
  /** The svg element's id attribute ('' when none). */
  readonly id: string;
  /** Its layout box in CSS pixels (print media, printable width). */
  readonly box: Box;
  /** getBBox() of its drawn content: empty when nothing is drawn. */
  readonly contentBox: Box;
  /** Number of drawn shapes (path, rect, circle, ellipse, line, polyline, polygon, text). */
  readonly shapes: number;
}

export interface Overflow {
  /** The document is wider than the printable width (it would be clipped or shrunk when printed). */
  readonly document: boolean;
  /** The widest content right edge seen, in CSS px. */
  readonly scrollWidth: number;
  /** The printable width the page was laid out at, in CSS px. */
  readonly printableWidth: number;
  /** Elements whose box ends right of the printable width (tag#id.class, at most 20). */
  readonly elements: readonly string[];
}

export interface HtmlInspection {
  /** Printed page count per paper format (page.pdf, then the PDF's pages counted). */
  readonly pages: Record<PaperFormat, number>;
  readonly svgs: readonly SvgInfo[];
  /** The start of each list item split across two columns (at the A4 printable width). */
  readonly split: readonly string[];
  /** Checked at the narrowest printable width of the formats (A4). */
  readonly overflow: Overflow;
  /** URLs the page tried to load (all refused: the page must be self-contained). */
  readonly requests: readonly string[];
}

export interface InspectOptions {
  /**
   * Page margin in mm applied when the page's own `@page` rule does not set one; also
   * subtracted from the paper width for the overflow check. Default 12.
   */
  readonly marginMm?: number;
}

/** Pages in a PDF produced by Chromium: the count in the page tree root, checked against the page objects. */
export function countPdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const pageObjects = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => Number(m[1] ?? m[2]));
  const root = counts.length ? Math.max(...counts) : 0;
  if (pageObjects > 0 && root > 0 && pageObjects !== root) {
    throw new Error(`PDF page count unclear: ${pageObjects} page objects, page tree says ${root}`);
  }
  const n = root || pageObjects;
  if (n === 0) throw new Error('no pages found in the PDF');
  return n;
}

/** A fresh page with the HTML loaded, every network request refused. */
export async function openHtml(browser: Browser, html: string, requests: string[] = []): Promise<Page> {
  const context = await browser.newContext({ offline: true, javaScriptEnabled: true });
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

/**
 * Measures the laid-out page (run inside the page). A string, not a function: a function
 * would be serialised as its transpiled source, which tools (tsx, coverage) may decorate
 * with helpers the page does not have.
 */
const MEASURE = `(() => {
  const width = document.documentElement.clientWidth;
  const boxOf = (r) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
  const elements = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5) {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      elements.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls);
      if (elements.length >= 20) break;
    }
  }
  const svgs = Array.from(document.querySelectorAll('svg')).map((svg) => {
    let content = { x: 0, y: 0, width: 0, height: 0 };
    try { content = boxOf(svg.getBBox()); } catch (e) { /* not rendered */ }
    return { id: svg.id, box: boxOf(svg.getBoundingClientRect()), contentBox: content,
      shapes: svg.querySelectorAll('path,rect,circle,ellipse,line,polyline,polygon,text').length };
  });
  // list items laid out in more than one piece: split across two columns
  const split = Array.from(document.querySelectorAll('li'))
    .filter((li) => li.getClientRects().length > 1)
    .map((li) => (li.textContent || '').trim().slice(0, 60));
  return { width, scrollWidth: document.documentElement.scrollWidth, elements, svgs, split };
})()`;

/** Render an HTML string offline and measure it as printed. */
export async function inspectHtml(browser: Browser, html: string, options: InspectOptions = {}): Promise<HtmlInspection> {
  const marginMm = options.marginMm ?? 12;
  const margin = `${marginMm}mm`;
  const requests: string[] = [];
  const page = await openHtml(browser, html, requests);
  try {
    await page.emulateMedia({ media: 'print' });
    const pages = {} as Record<PaperFormat, number>;
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true, margin: { top: margin, bottom: margin, left: margin, right: margin } });
      pages[format] = countPdfPages(pdf);
    }
    const printableWidth = Math.floor(Math.min(PAPER_PX.A4.width, PAPER_PX.Letter.width) - 2 * (marginMm / 25.4) * 96);
    await page.setViewportSize({ width: printableWidth, height: Math.round(PAPER_PX.A4.height) });
    const measured = (await page.evaluate(MEASURE)) as {
      width: number;
      scrollWidth: number;
      elements: string[];
      svgs: SvgInfo[];
      split: string[];
    };
    return {
      pages,
      svgs: measured.svgs,
      split: measured.split,
      overflow: {
        document: measured.scrollWidth > measured.width,
        scrollWidth: measured.scrollWidth,
        printableWidth: measured.width,
        elements: measured.elements,
      },
      requests,
    };
  } finally {
    await page.context().close();
  }
}

/** Write a PNG of the page as printed (print media, the given paper width). */
export async function screenshotHtml(browser: Browser, html: string, path: string, format: PaperFormat = 'A4'): Promise<void> {
  const page = await openHtml(browser, html);
  try {
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: Math.round(PAPER_PX[format].width), height: Math.round(PAPER_PX[format].height) });
    await page.screenshot({ path, fullPage: true });
  } finally {
    await page.context().close();
  }
}

/**
 * A describe block with one shared browser: launched before its tests, closed after. Skipped
 * only when Chromium is absent outside CI; in CI a missing Chromium makes beforeAll fail.
 */
export function browserSuite(name: string, body: (browser: () => Browser) => void): void {
  describe.skipIf(shouldSkipBrowserTests())(name, () => {
    let browser: Browser | undefined;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });
    body(() => {
      if (!browser) throw new Error('Chromium was not launched');
      return browser;
    });
  });
}
