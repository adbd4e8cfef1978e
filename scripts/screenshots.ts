/**
 * PNG screenshots (and PDFs) of the MDT handout, for review: every published and example
 * case, printed as Chromium prints it (print media, A4 width). Uses the tests' Chromium
 * helper (Debian's /usr/bin/chromium). Writes to the folder given (default
 * review/handouts/, not committed) and prints each file with its A4 and Letter page count.
 *
 *   npx tsx scripts/screenshots.ts [out-dir] [case files…]
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { launchChromium, inspectHtml, openHtml, screenshotHtml } from '../test/support/browser.js';
import { renderHandout } from '../test/support/handout.js';
import { ROOT } from '../test/support/paths.js';

const out = process.argv[2] ?? join(ROOT, 'review', 'handouts');
const given = process.argv.slice(3);
const cases = given.length
  ? given
  : ['fixtures/cases/published', 'fixtures/cases/examples'].flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((f) => f.endsWith('.json') || f.endsWith('.yaml'))
        .sort()
        .map((f) => join(ROOT, dir, f)),
    );
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
try {
  for (const file of cases) {
    const html = await renderHandout(file, { date: '2026-03-02' });
    const name = basename(file, extname(file));
    writeFileSync(join(out, `${name}.html`), html);
    await screenshotHtml(browser, html, join(out, `${name}.png`));
    const page = await openHtml(browser, html);
    await page.emulateMedia({ media: 'print' });
    writeFileSync(join(out, `${name}.pdf`), await page.pdf({ format: 'A4', printBackground: true }));
    await page.context().close();
    const r = await inspectHtml(browser, html, { marginMm: 8 });
    console.log(`${join(out, `${name}.png`)}  A4 ${r.pages.A4} page(s), Letter ${r.pages.Letter}${r.overflow.document ? `, OVERFLOWS: ${r.overflow.elements.join(' ')}` : ''}`);
  }
} finally {
  await browser.close();
}
