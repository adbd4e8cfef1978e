/**
 * Stable codes of the findings `validate`, `test` and `diff` report: severity, a one-line
 * description (SARIF rule text) and the anchor of its section in docs/rule-maintainers.md.
 * Tests assert codes, never wording.
 */
import type { Severity } from '../diagnostics/diagnostic.js';

export interface CodeInfo {
  readonly severity: Severity;
  readonly summary: string;
  readonly anchor: string;
}

export const CODES = {
  'analysis/gap': {
    severity: 'error',
    summary: 'A valid case for which every rule of a decision is definitely false, so the decision has no outcome (a warning for collect decisions: the plan lists no item).',
    anchor: 'analysisgap',
  },
  'analysis/conflict': {
    severity: 'error',
    summary: 'Two rules of a priority decision with the same priority and different outcomes both hold, with no higher rule holding: file order decides silently.',
    anchor: 'analysisconflict',
  },
  'analysis/masked': {
    severity: 'error',
    summary: 'A rule that can hold but never decides: whenever it holds, a higher-priority rule holds (or may hold) too.',
    anchor: 'analysismasked',
  },
  'analysis/unreachable': {
    severity: 'error',
    summary: 'A rule whose conditions are consistent on their own but never hold in a real case, because the decision values it reads never occur together with its other conditions.',
    anchor: 'analysisunreachable',
  },
  'analysis/contradiction': {
    severity: 'error',
    summary: 'Conditions inside one rule (or invariant) that can never hold together, e.g. lessThan 40 and greaterThan 75 on the same field; for an invariant this is a warning (it checks nothing).',
    anchor: 'analysiscontradiction',
  },
  'analysis/invariant': {
    severity: 'error',
    summary: 'A safety invariant is violated: for a valid case its condition holds and the decision value, or one of its candidates, is forbidden.',
    anchor: 'analysisinvariant',
  },
  'analysis/incomplete': {
    severity: 'error',
    summary: 'A check of a decision, rule or invariant could not be completed within the limits (time budget, solver work or memory); nothing is claimed for it. A warning with --allow-incomplete.',
    anchor: 'analysisincomplete',
  },
  'golden/mismatch': { severity: 'error', summary: 'A fixture expectation does not match the plan.', anchor: 'goldenmismatch' },
  'test/coverage': { severity: 'error', summary: 'Rule or outcome coverage of the fixtures is below --threshold.', anchor: 'testcoverage' },
  'diff/changed': { severity: 'info', summary: 'A decision changes between the two rule sets for some cases.', anchor: 'diffchanged' },
} as const satisfies Record<string, CodeInfo>;

export type AnalysisCode = keyof typeof CODES;

export function codeInfo(code: string): CodeInfo | undefined {
  return (CODES as Record<string, CodeInfo>)[code];
}

export const DOCS_URL = 'docs/rule-maintainers.md';
