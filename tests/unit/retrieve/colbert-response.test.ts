// Reading ColBERTv2 topk bodies: titles split off at the first " | ", ids from pid (else rank,
// else position), long_text preferred, k enforced, and unreadable bodies as retryable
// 'bad-response' errors quoting only a short excerpt.

import { describe, expect, it } from 'vitest';
import { parseTopk, splitTitle } from '../../../core/retrieve/colbert-response.ts';
import type { RetrieveError } from '../../../core/retrieve/errors.ts';
import { RetryableRetrieveError } from '../../../core/retrieve/retry.ts';

const SOURCE = 'http://127.0.0.1:8893/api/search';

describe('splitTitle', () => {
  it.each([
    ['Quenby | Quenby is the capital of Elsmark.', 'Quenby', 'Quenby is the capital of Elsmark.'],
    ['A | B | C', 'A', 'B | C'],
    ['no separator here', '', 'no separator here'],
    ['pipe|without spaces', '', 'pipe|without spaces'],
    [' | starts with the separator', '', 'starts with the separator'],
  ])('%j', (full, title, text) => {
    expect(splitTitle(full)).toEqual({ title, text });
  });
});

describe('parseTopk', () => {
  it('reads the wiki17 abstracts format', () => {
    const body = JSON.stringify({
      query: 'capital of Elsmark',
      topk: [
        { text: 'Quenby | Quenby is the capital of Elsmark.', pid: 4021, rank: 1, score: 21.5, prob: 0.7 },
        { text: 'Elsmark | Elsmark is a small country.', pid: 77, rank: 2, score: 19.25, prob: 0.3 },
      ],
      latency: 12,
    });
    expect(parseTopk(body, 5, SOURCE)).toEqual([
      { id: '4021', title: 'Quenby', text: 'Quenby is the capital of Elsmark.', score: 21.5 },
      { id: '77', title: 'Elsmark', text: 'Elsmark is a small country.', score: 19.25 },
    ]);
  });

  it('keeps at most k passages, best first as served', () => {
    const topk = [1, 2, 3, 4].map((pid) => ({ text: `T${pid} | p${pid}`, pid, score: 10 - pid }));
    expect(parseTopk(JSON.stringify({ topk }), 2, SOURCE).map((p) => p.id)).toEqual(['1', '2']);
  });

  it('takes the id from rank, then the position, when pid is missing; a missing score is 0', () => {
    const body = JSON.stringify({ topk: [{ text: 'a', rank: 7 }, { text: 'b' }, { text: 'c', pid: 'doc-9', score: 'high' }] });
    expect(parseTopk(body, 3, SOURCE)).toEqual([
      { id: '7', title: '', text: 'a', score: 0 },
      { id: '2', title: '', text: 'b', score: 0 },
      { id: 'doc-9', title: '', text: 'c', score: 0 },
    ]);
  });

  it('prefers long_text when the server sends it', () => {
    const body = JSON.stringify({ topk: [{ text: 'Quenby | Quenby is…', long_text: 'Quenby | Quenby is the capital of Elsmark.', pid: 1, score: 1 }] });
    expect(parseTopk(body, 1, SOURCE)[0]).toMatchObject({ title: 'Quenby', text: 'Quenby is the capital of Elsmark.' });
  });

  it('reads an empty topk as no passages', () => {
    expect(parseTopk('{"topk": []}', 3, SOURCE)).toEqual([]);
  });

  it.each([
    ['not json <html>', /answered with invalid JSON: not json <html>/],
    ['{"error": "index not loaded"}', /answered with no "topk" list: \{"error": "index not loaded"\}/],
    ['[1, 2]', /no "topk" list/],
    ['{"topk": [{"pid": 1}]}', /topk\[0\] has no "text"/],
    ['{"topk": ["just a string"]}', /topk\[0\] has no "text"/],
    ['', /invalid JSON: \(empty body\)/],
  ])('a bad body %j is a retryable bad-response naming the server', (body, message) => {
    let caught: unknown;
    try {
      parseTopk(body, 3, SOURCE);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RetryableRetrieveError);
    expect(caught).toMatchObject({ kind: 'bad-response' });
    expect((caught as RetrieveError).message).toContain(SOURCE);
    expect((caught as RetrieveError).message).toMatch(message);
  });

  it('quotes at most 200 characters of a long bad body', () => {
    const body = `<html>${'x'.repeat(5000)}SECRET-AT-THE-END</html>`;
    let message = '';
    try {
      parseTopk(body, 3, SOURCE);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('<html>xxx');
    expect(message).not.toContain('SECRET-AT-THE-END');
    expect(message.length).toBeLessThan(SOURCE.length + 260);
  });
});
