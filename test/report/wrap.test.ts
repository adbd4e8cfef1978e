/** The shared wrap utility: width, hanging indents, words kept whole, colour codes free. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputColumns, visibleWidth, wrap, wrapLabelled } from '../../src/report/wrap.js';

const word = fc.stringMatching(/^[a-zA-Z0-9éü–·()[\],.;:%≥-]{1,30}$/);
const words = fc.array(word, { minLength: 0, maxLength: 60 });

describe('wrap', () => {
  it('no line wider than the width unless it holds one word that is; words kept whole and in order', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 10, max: 120 }), fc.integer({ min: 0, max: 8 }), (ws, width, indent) => {
        const rest = ' '.repeat(indent);
        const lines = wrap(ws.join(' '), width, { first: '', rest });
        for (const line of lines) {
          if (visibleWidth(line) > width) expect(line.trim()).not.toContain(' ');
        }
        expect(lines.join(' ').split(' ').filter(Boolean)).toEqual(ws);
        lines.slice(1).forEach((l) => expect(l.startsWith(rest)).toBe(true));
      }),
    );
  });

  it('fills lines: a line ends only where the next word would not fit', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 10, max: 120 }), (ws, width) => {
        const lines = wrap(ws.join(' '), width);
        for (let i = 0; i + 1 < lines.length; i++) {
          const next = lines[i + 1]!.trim().split(' ')[0]!;
          expect(visibleWidth(lines[i]!) + 1 + visibleWidth(next)).toBeGreaterThan(width);
        }
      }),
    );
  });

  it('hanging indent under a label; colour codes take no columns', () => {
    const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
    const lines = wrapLabelled('Access', `${red('open')} laparotomy through a midline or subcostal incision`, 30, 10, '  ');
    expect(lines).toEqual(['  Access    \u001b[31mopen\u001b[39m laparotomy', '            through a midline', '            or subcostal', '            incision']);
    expect(visibleWidth(lines[0]!)).toBe(27);
  });

  it('width counts code points: a surrogate pair is one column, a lone surrogate one, colour codes none', () => {
    expect(visibleWidth('a😀b')).toBe(3);
    expect(visibleWidth('\ud800\ud83d\ude00\ude00')).toBe(3);
    expect(visibleWidth('\u001b[1mé\u001b[22m')).toBe(1);
    const units = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0xd83d, 0xde00, 0xdbff, 0xdc00)), { maxLength: 40 });
    fc.assert(fc.property(units, (cs) => {
      const s = String.fromCharCode(...cs);
      expect(visibleWidth(s)).toBe([...s.replace(/\u001b\[[0-9;]*m/g, '')].length);
    }));
  });

  it('a word longer than the line stays whole on its own line', () => {
    expect(wrap('see https://example.org/a/very/long/path/that/does/not/fit here', 20, { rest: '  ' })).toEqual([
      'see',
      '  https://example.org/a/very/long/path/that/does/not/fit',
      '  here',
    ]);
  });

  it('80 columns when not a terminal; the terminal width otherwise (at least 40)', () => {
    expect(outputColumns(undefined)).toBe(80);
    expect(outputColumns(0)).toBe(80);
    expect(outputColumns(132)).toBe(132);
    expect(outputColumns(20)).toBe(40);
  });
});
