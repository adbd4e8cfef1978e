/** Every command's --format choices, default and help come from the one format table (src/cli/formats.ts). */
import { describe, expect, it } from 'vitest';
import { FORMATS, formatsOf, type Command } from '../../src/cli/formats.js';
import { runBin, useBuiltBin } from '../support/cli.js';

useBuiltBin();

const commands = Object.keys(FORMATS) as Command[];

describe.each(commands)('rvlms %s --format', (command) => {
  it('--help lists each format of the table, the first as default', () => {
    const r = runBin([command, '--help']);
    expect(r.code).toBe(0);
    const formats = formatsOf(command);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(`choices: ${formats.map((f) => `"${f}"`).join(', ')}, default: "${formats[0]}"`);
    const section = r.stdout.slice(r.stdout.indexOf('Formats (--format):'));
    for (const f of formats) expect(section).toMatch(new RegExp(`^  ${f} +\\S`, 'm'));
  });

  it('refuses a format outside the table: exit 2, naming the formats of the table', () => {
    const r = runBin([command, ...(command === 'plan' ? ['fixtures/cases/published/zhang2021-case1.json'] : []), '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(formatsOf(command).join(', '));
  });
});

describe('every plan format renders', () => {
  it.each(formatsOf('plan'))('%s', (format) => {
    const r = runBin(['plan', 'fixtures/cases/published/zhang2021-case1.json', '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(200);
    if (format === 'json') expect(JSON.parse(r.stdout)).toHaveProperty('decisions');
  });
});
