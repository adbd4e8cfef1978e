/** SARIF 2.1.0 from validate: rules are the finding codes, results point at file/line/column. */
import { describe, expect, it } from 'vitest';
import { validateRules } from '../../src/analysis/validate.js';
import { renderSarif, renderValidateText } from '../../src/report/validate-report.js';
import { PLAIN } from '../../src/report/style.js';
import { sourcesOf } from './helpers.js';

interface Sarif {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
      relatedLocations?: unknown[];
      properties: { rules?: string[]; counterexample?: unknown };
    }[];
  }[];
}

describe('SARIF', () => {
  it('has the 2.1.0 shape, one rule per code, positions as regions', async () => {
    const result = await validateRules([...sourcesOf('gap'), ...sourcesOf('conflict').map((s) => ({ ...s, file: s.file.replace('conflict/ruleset', 'conflict/other') }))]);
    const sarif = JSON.parse(renderSarif(result, '9.9.9')) as Sarif;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run = sarif.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'rvlms', version: '9.9.9' });
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual([...new Set(result.diagnostics.map((d) => d.code))].sort());
    for (const rule of run.tool.driver.rules) expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    expect(run.results).toHaveLength(result.diagnostics.length);
    for (const [i, res] of run.results.entries()) {
      const d = result.diagnostics[i]!;
      expect(res.ruleId).toBe(d.code);
      expect(ids[res.ruleIndex]).toBe(d.code);
      expect(res.level).toBe(d.severity === 'info' ? 'note' : d.severity);
      expect(res.locations[0]!.physicalLocation.artifactLocation.uri).toBe(d.file);
      expect(res.locations[0]!.physicalLocation.region).toEqual({ startLine: d.line, startColumn: d.col });
    }
  });

  it('carries the rules and the counterexample of analysis findings', async () => {
    const sarif = JSON.parse(renderSarif(await validateRules(sourcesOf('conflict')), '0')) as Sarif;
    const res = sarif.runs[0]!.results.find((r) => r.ruleId === 'analysis/conflict')!;
    expect(res.properties.rules).toEqual(['ivc.graft', 'ivc.repair']);
    expect(res.properties.counterexample).toMatchObject({ id: 'conflict-ivc.graft-ivc.repair' });
    expect(res.relatedLocations).toHaveLength(1);
  });

  it('text: file:line:col severity code message, then the counterexample', async () => {
    const text = renderValidateText(await validateRules(sourcesOf('gap')), PLAIN);
    expect(text.split('\n')[0]).toMatch(/^fixtures\/rulesets\/gap\/ruleset\.yaml:\d+:\d+ error analysis\/gap /);
    expect(text).toMatch(/\n {4}counterexample: \{"schemaVersion":1,"id":"gap-ivcManagement"/);
    expect(text.trimEnd().split('\n').pop()).toMatch(/rvlms validate: gap 0\.0\.1 \([0-9a-f]{12}\) — 1 error, 0 warnings$/);
  });

  it('text: the summary of a complete analysis wraps to the width, the diagnostics stay one line each', async () => {
    const result = await validateRules(sourcesOf('minimal'));
    const narrow = renderValidateText(result, PLAIN, 40).trimEnd().split('\n');
    expect(narrow.slice(0, -1).every((l) => l.length <= 40)).toBe(true);
    expect(narrow[0]).toMatch(/^checked \d+ decision/);
    expect(narrow.length).toBeGreaterThan(2);
  });
});
