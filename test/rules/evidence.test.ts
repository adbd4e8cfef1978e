/** The shipped evidence library: every entry checkable by a surgeon, every citation resolvable. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_LEVELS, type EvidenceLevel } from '../../src/rules/schema.js';
import type { EvidenceModel } from '../../src/rules/model.js';
import { citation } from '../../src/report/plan-common.js';
import { RULES_DIR, shippedModel } from '../support/rules.js';

/** Designs that report a number of patients (or of whatever `population` says is counted). */
const SIZED: readonly EvidenceLevel[] = ['case series', 'retrospective cohort', 'registry', 'pooled analysis'];
const DOI = /^10\.\d{4,9}\/[-._;()/:A-Za-z0-9]+$/;
const PMID = /^[1-9]\d{0,8}$/;

const model = shippedModel();
const entries: [string, EvidenceModel][] = Object.entries(model.evidence);

/** Every evidence id cited anywhere in the model (rules, parameters and their alternatives, invariants, references, glossary). */
function citedIds(): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${where}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const here = typeof o['id'] === 'string' ? `${where}:${o['id']}` : where;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'evidence' && Array.isArray(v) && v.every((x) => typeof x === 'string')) {
        for (const id of v as string[]) cited.set(id, [...(cited.get(id) ?? []), here]);
      } else walk(v, `${here}.${k}`);
    }
  };
  const { evidence: _library, ...rest } = model;
  walk(rest, 'ruleset');
  return cited;
}

describe('shipped evidence library', () => {
  it('has entries', () => {
    expect(entries.length).toBeGreaterThan(10);
  });

  it.each(entries)('%s: states its design as a level, and its size where the design has one', (_id, e) => {
    expect(EVIDENCE_LEVELS).toContain(e.level);
    if (SIZED.includes(e.level!)) expect(e.n, 'n').toBeGreaterThan(0);
    if (e.n !== undefined) expect(Number.isInteger(e.n)).toBe(true);
  });

  it.each(entries)('%s: has authors, year, title, journal, and a DOI or PMID (a URL only where neither exists)', (_id, e) => {
    expect(e.authors.trim().length, 'authors').toBeGreaterThan(0);
    expect(e.year, 'year').toBeGreaterThanOrEqual(1900);
    expect(e.title?.trim().length ?? 0, 'title').toBeGreaterThan(0);
    expect(e.journal.trim().length, 'journal').toBeGreaterThan(0);
    expect(Boolean(e.doi || e.pmid || e.url), 'doi, pmid or url').toBe(true);
    if (e.url !== undefined) expect({ doi: e.doi, pmid: e.pmid }, 'a URL only where there is no DOI or PMID').toEqual({ doi: undefined, pmid: undefined });
  });

  it.each(entries)('%s: DOI and PMID are well formed', (_id, e) => {
    if (e.doi !== undefined) expect(e.doi).toMatch(DOI);
    if (e.pmid !== undefined) expect(e.pmid).toMatch(PMID);
  });

  it('no rule file and no printed citation says a detail is unverified or not captured', () => {
    const words = /unverified|not captured/i;
    for (const f of readdirSync(RULES_DIR).filter((x) => x.endsWith('.yaml'))) expect(readFileSync(join(RULES_DIR, f), 'utf8'), f).not.toMatch(words);
    for (const [id, e] of entries) expect(citation(e), id).not.toMatch(words);
  });

  it('every cited evidence id exists', () => {
    const missing = [...citedIds().keys()].filter((id) => !(id in model.evidence));
    expect(missing).toEqual([]);
  });

  it('every entry is cited by a rule, parameter, invariant, reference or glossary term', () => {
    const cited = citedIds();
    expect(entries.map(([id]) => id).filter((id) => !cited.has(id))).toEqual([]);
  });

  it('the citation printed in a plan carries the design and size', () => {
    const e = model.evidence['mingoli1996']!;
    expect(citation(e)).toContain('[registry, n = 218]');
    const withPopulation: EvidenceModel = { id: 'x', authors: 'A B', journal: 'J', level: 'retrospective cohort', n: 35, population: 'any histology' };
    expect(citation(withPopulation)).toMatch(/\[retrospective cohort, n = 35 \(any histology\)\]$/);
    expect(citation({ id: 'y', authors: 'A B', journal: 'J' })).not.toContain('[');
  });

});
