/** The rule-set digest: sha-256 over the normalized files (sorted by name, BOM stripped, LF line ends). */
import { createHash } from 'node:crypto';
import { byCodeUnit } from '../io/order.js';

export interface DigestSource {
  readonly file: string;
  readonly text: string;
}

export const normalizeText = (t: string): string => t.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
const baseName = (f: string): string => f.split(/[\\/]/).pop()!;

export function rulesetDigest(sources: readonly DigestSource[]): string {
  const h = createHash('sha256');
  for (const s of [...sources].sort((a, b) => byCodeUnit(baseName(a.file), baseName(b.file))))
    h.update(baseName(s.file)).update('\0').update(normalizeText(s.text)).update('\0');
  return h.digest('hex');
}
