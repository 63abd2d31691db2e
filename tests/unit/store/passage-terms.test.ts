// Index terms: the Porter stemmer and tokenizer give the terms SQLite FTS5's
// 'porter unicode61 remove_diacritics 2' tokenizer gives (FTS5 itself is the oracle, through an
// fts5vocab table over the same words), plus the paper's own examples.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { porterStem } from '../../../core/store/porter-stemmer.ts';
import { queryTerms, termOf, wordsOf } from '../../../core/store/passage-terms.ts';

const WORDS = `
  caresses ponies ties caress cats feed agreed disabled matting mating meeting milling messing meetings
  plastered bled motoring sing conflated troubled sized hopping tanned falling hissing fizzed failing filing
  happy sky relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli
  vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness
  formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness
  revival allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment
  dependent adoption homologou communism activate angulariti homologous effective bowdlerize probate rate
  cease controll roll generalization generalizations oscillators running runs ran bridges bridge bridging
  possibly technology terminology visibly assembly ideology responsibly agreement happiness national
  nationalities abilities ability sensational traditional dictionary dictionaries studies studying
  quickly quicker quickest argued arguing arguments enumeration tries trying cried crying skies flying
  flies yes yesterday eyes played playing player crazy crazier alleged allegedly emerged emergency
  a an the of is it be by to in on at as and or not near w1 w1s wab wabs w2x9 abc123 123 99ers
`;

describe('porter stemming', () => {
  it('gives the stems of the paper\'s examples', () => {
    const examples: Record<string, string> = {
      caresses: 'caress', ponies: 'poni', ties: 'ti', cats: 'cat', feed: 'feed', agreed: 'agre', plastered: 'plaster',
      bled: 'bled', motoring: 'motor', sing: 'sing', conflated: 'conflat', troubled: 'troubl', sized: 'size', hopping: 'hop',
      tanned: 'tan', falling: 'fall', hissing: 'hiss', fizzed: 'fizz', failing: 'fail', filing: 'file', happy: 'happi',
      sky: 'sky', relational: 'relat', conditional: 'condit', rational: 'ration', generalization: 'gener', bridges: 'bridg',
      running: 'run', an: 'an',
    };
    for (const [word, stem] of Object.entries(examples)) expect(porterStem(word), word).toBe(stem);
  });

  it('agrees with SQLite FTS5\'s porter tokenizer, word for word', () => {
    const words = WORDS.trim().split(/\s+/);
    const db = new Database(':memory:');
    try {
      db.exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2')");
      db.exec('CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)');
      const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
      words.forEach((w, i) => insert.run(i + 1, w));
      const fts5 = db.prepare('SELECT doc, term FROM v ORDER BY doc').all() as Array<{ doc: number; term: string }>;
      expect(fts5).toHaveLength(words.length);
      const differing = fts5.filter((r) => termOf(words[r.doc - 1]!) !== r.term).map((r) => `${words[r.doc - 1]}: fts5 ${r.term}, ours ${termOf(words[r.doc - 1]!)}`);
      expect(differing).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('passage terms', () => {
  it('splits on everything but letters and digits, lower-cases and drops diacritics', () => {
    expect(wordsOf('"Quenby*" NEAR(x, y) title:Élan — Café-Noir 2024!')).toEqual(['quenby', 'near', 'x', 'y', 'title', 'elan', 'cafe', 'noir', '2024']);
    expect(wordsOf('naïve Zürich')).toEqual(['naive', 'zurich']);
    expect(wordsOf('Москва и Київ')).toEqual(['москва', 'и', 'київ']);
    expect(wordsOf('?! (^_^) ...')).toEqual([]);
  });

  it('turns a query into its distinct terms in order, stems merged', () => {
    expect(queryTerms('Bridges, bridge and BRIDGING of the bridges')).toEqual(['bridg', 'and', 'of', 'the']);
    expect(queryTerms('')).toEqual([]);
  });
});
