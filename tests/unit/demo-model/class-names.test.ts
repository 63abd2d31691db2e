// Class names of the demo model's corpus: the styles differ in how they are built, and the second
// stage's names never come near an Iris species (the model must not have practised writing one).
import { describe, expect, it } from 'vitest';
import { generateEpisode, letterString, nearIrisWord, wideName, wordPieces } from '../../../scripts/demo-model/corpus.ts';
import { Rng } from '../../../core/util/random.ts';

/** The class names an episode's prompt lists ("... belongs to: a, b, or c."). */
function listedNames(index: number, classNames: 'pseudo' | 'taxon' | 'varied'): string[] {
  for (let i = index; ; i++) {
    const ep = generateEpisode('classify', 3, i, undefined, { classNames });
    const m = /belongs to: ([a-z, ]+)\.|Classify the \w+ as ([a-z, ]+)\.|is one of ([a-z, ]+)\./.exec(String(ep.messages[0]!.content));
    if (m) return (m[1] ?? m[2] ?? m[3])!.split(/, or |, | or /).filter(Boolean);
  }
}

describe('demo-model corpus class names', () => {
  it('flags the Iris species, their field words and near-misses of them', () => {
    for (const w of ['setosa', 'versicolor', 'virginica', 'iris', 'petal', 'sepal', 'virginca', 'setoza', 'versicolour', 'xpetalx']) {
      expect(nearIrisWord(w), w).toBe(true);
    }
    for (const w of ['gleasa', 'cyraelix', 'quodium', 'brandomi']) expect(nearIrisWord(w), w).toBe(false);
  });

  it('wide names use letters the syllabic generators never use alone, and stay away from Iris words', () => {
    const rng = new Rng(11);
    const names = Array.from({ length: 2000 }, () => wideName(rng));
    expect(names.every((n) => n.length >= 4 && /^[a-z]+$/.test(n) && !nearIrisWord(n))).toBe(true);
    const letters = new Set(names.join(''));
    for (const c of ['c', 'j', 'w', 'y', 'q']) expect(letters.has(c), c).toBe(true);
    expect(new Set(names).size).toBeGreaterThan(1500);
  });

  it('varied names mix the styles; pseudo names keep the first stage corpus as it was', () => {
    const varied = Array.from({ length: 60 }, (_, i) => listedNames(i * 7, 'varied')).flat();
    const pseudo = Array.from({ length: 60 }, (_, i) => listedNames(i * 7, 'pseudo')).flat();
    // Only the wide style makes names with a lone c, j, w, y or q.
    const wide = (n: string) => /(^|[^s])c(?!h)|[jwyq]/.test(n);
    expect(varied.filter(wide).length).toBeGreaterThan(varied.length / 8);
    expect(pseudo.filter(wide)).toEqual([]);
    // (The first stage's pseudo-words were not filtered: a few contain `iris`, e.g. `stirisel`.)
    expect(varied.some(nearIrisWord)).toBe(false);
  });

  it('varied label sets often share a first piece; pseudo ones keep the first stage as it was', () => {
    const sharesPrefix = (names: string[]) => names.some((a, i) => names.some((b, j) => i !== j && a.slice(0, 2) === b.slice(0, 2)));
    const varied = Array.from({ length: 200 }, (_, i) => listedNames(i * 3, 'varied'));
    const pseudo = Array.from({ length: 200 }, (_, i) => listedNames(i * 3, 'pseudo'));
    expect(varied.filter(sharesPrefix).length).toBeGreaterThan(200 * 0.3);
    expect(pseudo.filter(sharesPrefix).length).toBeLessThan(200 * 0.2);
  });

  it('letter words: random letters, or a tokenizer\'s word pieces when given; only with the option on', () => {
    const vocab = { model: { vocab: { a: 0, ers: 1, '\u0120v': 2, qu: 3, '12': 4, Xy: 5, ol: 6 } } };
    expect(wordPieces(vocab).sort()).toEqual(['a', 'ers', 'ol', 'qu']);
    const rng = new Rng(4);
    const fromPieces = Array.from({ length: 300 }, () => letterString(rng, ['ers', 'ol', 'qu', 'a']));
    expect(fromPieces.every((w) => /^(ers|ol|qu|a)+$/.test(w) && w.length >= 3)).toBe(true);
    const letters = Array.from({ length: 300 }, () => letterString(rng));
    expect(letters.every((w) => /^[a-z]{4,10}$/.test(w) && !nearIrisWord(w))).toBe(true);
    const copyText = (letterWords: number, pieces?: string[]) =>
      Array.from({ length: 40 }, (_, i) => String(generateEpisode('copy', 2, i, undefined, { letterWords, ...(pieces ? { pieces } : {}) }).messages.at(-1)!.content)).join(' ');
    expect(copyText(0)).toBe(Array.from({ length: 40 }, (_, i) => String(generateEpisode('copy', 2, i).messages.at(-1)!.content)).join(' '));
    expect(copyText(0.9, ['zzq'])).toMatch(/zzqzzq/);
  });

  it('zero-shot share of classify episodes follows the option', () => {
    const zeroShare = (p: number) => {
      let zero = 0;
      for (let i = 0; i < 400; i++) {
        const ep = generateEpisode('classify', 5, i, undefined, { zeroShotClassify: p });
        if (ep.messages.length === 3) zero++;
      }
      return zero / 400;
    };
    expect(zeroShare(0.8)).toBeGreaterThan(zeroShare(0.1) + 0.3);
  });
});
