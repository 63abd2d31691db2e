import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize, wordDiff } from '../../../renderer/src/components/word-diff.ts';

const join = (parts: { kind: string; text: string }[], keep: string[]) => parts.filter((p) => keep.includes(p.kind)).map((p) => p.text).join('');

describe('wordDiff', () => {
  it('marks a changed word as deleted then added', () => {
    expect(wordDiff('the answer is setosa', 'the answer is virginica')).toEqual([
      { kind: 'same', text: 'the answer is ' },
      { kind: 'del', text: 'setosa' },
      { kind: 'add', text: 'virginica' },
    ]);
  });

  it('gives back both texts: same+del is before, same+add is after', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const parts = wordDiff(a, b);
        expect(join(parts, ['same', 'del'])).toBe(a);
        expect(join(parts, ['same', 'add'])).toBe(b);
      }),
    );
  });

  it('falls back to delete + insert past the token limit', () => {
    const parts = wordDiff('a b c', 'a b d', 2);
    expect(parts).toEqual([
      { kind: 'del', text: 'a b c' },
      { kind: 'add', text: 'a b d' },
    ]);
  });

  it('tokenizes words and whitespace runs', () => {
    expect(tokenize(' a  b\n')).toEqual([' ', 'a', '  ', 'b', '\n']);
  });
});
