/** The diagnostic catalogue: documented, and every code the shipped inputs and the hostile corpus produce is in it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, codeInfo, isDiagnosticCode } from '../../src/diagnostics/codes.js';
import { ROOT } from '../support/paths.js';

const DOC = readFileSync(join(ROOT, 'docs/diagnostics.md'), 'utf8');
const codes = Object.keys(DIAGNOSTIC_CODES);

describe('the diagnostic catalogue', () => {
  it('has codes of the form area/name', () => {
    for (const c of codes) expect(c).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
  });

  it('docs/diagnostics.md lists every code once, and no other', () => {
    const listed = [...DOC.matchAll(/^\| `([a-z]+\/[a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
    expect([...listed].sort()).toEqual([...codes].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('analysis findings carry a severity and a section of docs/rule-maintainers.md', () => {
    const maintainers = readFileSync(join(ROOT, 'docs/rule-maintainers.md'), 'utf8');
    for (const c of codes.filter((x) => x.startsWith('analysis/'))) {
      const info = codeInfo(c)!;
      expect(info.severity, c).toBeDefined();
      expect(maintainers.toLowerCase(), c).toContain(`### \`${c}\``.toLowerCase());
    }
  });

  it('knows what it does not hold', () => {
    expect(isDiagnosticCode('case/enum')).toBe(true);
    expect(isDiagnosticCode('rules/yaml')).toBe(true);
    expect(isDiagnosticCode('map/unknown-key')).toBe(true);
    expect(isDiagnosticCode('case/nonsense')).toBe(false);
    expect(isDiagnosticCode('toString')).toBe(false);
    expect(codeInfo('__proto__')).toBeUndefined();
  });
});
