/**
 * The findings `validate`, `test` and `diff` report: the codes of the diagnostic catalogue
 * (diagnostics/codes.ts) that carry a severity and a section in docs/rule-maintainers.md.
 */
import { DIAGNOSTIC_CODES, type FindingCode } from '../diagnostics/codes.js';
import type { Severity } from '../diagnostics/diagnostic.js';

export { codeInfo, type CodeInfo } from '../diagnostics/codes.js';

export type AnalysisCode = FindingCode;

/** The default severity of a finding. */
export const findingSeverity = (code: FindingCode): Severity => DIAGNOSTIC_CODES[code].severity!;

export const DOCS_URL = 'docs/rule-maintainers.md';
