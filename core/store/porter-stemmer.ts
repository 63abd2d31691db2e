// The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980), written from the
// paper's description of its five steps, so that passages and queries reduce "bridges", "bridged"
// and "bridging" to one term as SQLite FTS5's 'porter' tokenizer does. It works on lower-case
// ASCII words, with the two refinements Porter later published (and FTS5 follows): step 2 turns
// "bli" into "ble" (not only "abli") and "logi" into "log". Any character that is not a vowel
// counts as a consonant (digits included), as in FTS5; words shorter than 3 characters stay.

/** The stem of a lower-case word. */
export function porterStem(word: string): string {
  if (word.length < 3) return word;
  let w = step1a(word);
  w = step1b(w);
  w = step1c(w);
  w = replaceSuffix(w, STEP2, 0);
  w = replaceSuffix(w, STEP3, 0);
  w = step4(w);
  w = step5(w);
  return w;
}

/** Whether w[i] is a consonant: not a, e, i, o, u, and not a y that follows a consonant. */
function isConsonant(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
  if (c === 121) return i === 0 || !isConsonant(w, i - 1);
  return true;
}

/** m in [C](VC){m}[V]: how many vowel-consonant sequences the stem w[0, end) has. */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    while (i < end && isConsonant(w, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

/** *d: the stem ends with two equal consonants. */
function endsDoubleConsonant(w: string, end: number): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isConsonant(w, end - 1);
}

/** *o: the stem ends consonant-vowel-consonant, the last consonant not w, x or y. */
function endsCvc(w: string, end: number): boolean {
  if (end < 3) return false;
  if (!isConsonant(w, end - 3) || isConsonant(w, end - 2) || !isConsonant(w, end - 1)) return false;
  const last = w[end - 1];
  return last !== 'w' && last !== 'x' && last !== 'y';
}

function step1a(w: string): string {
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ies')) return w.slice(0, -2);
  if (w.endsWith('ss')) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function step1b(w: string): string {
  if (w.endsWith('eed')) return measure(w, w.length - 3) > 0 ? w.slice(0, -1) : w;
  let stem: string;
  if (w.endsWith('ed') && hasVowel(w, w.length - 2)) stem = w.slice(0, -2);
  else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) stem = w.slice(0, -3);
  else return w;
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return `${stem}e`;
  const n = stem.length;
  if (endsDoubleConsonant(stem, n)) {
    const last = stem[n - 1];
    return last === 'l' || last === 's' || last === 'z' ? stem : stem.slice(0, -1);
  }
  if (measure(stem, n) === 1 && endsCvc(stem, n)) return `${stem}e`;
  return stem;
}

function step1c(w: string): string {
  return w.endsWith('y') && hasVowel(w, w.length - 1) ? `${w.slice(0, -1)}i` : w;
}

type Rule = readonly [suffix: string, replacement: string];

const STEP2: readonly Rule[] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['bli', 'ble'],
  ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'],
  ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'],
  ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log'],
];

const STEP3: readonly Rule[] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
];

const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize',
];

/** The rule with the longest suffix the word ends with; applied when its stem's m exceeds `minM`. */
function replaceSuffix(w: string, rules: readonly Rule[], minM: number): string {
  let best: Rule | null = null;
  for (const rule of rules) if (w.endsWith(rule[0]) && (best === null || rule[0].length > best[0].length)) best = rule;
  if (best === null) return w;
  const end = w.length - best[0].length;
  return measure(w, end) > minM ? w.slice(0, end) + best[1] : w;
}

function step4(w: string): string {
  let suffix: string | null = null;
  for (const s of STEP4) if (w.endsWith(s) && (suffix === null || s.length > suffix.length)) suffix = s;
  if (suffix === null) return w;
  const end = w.length - suffix.length;
  if (measure(w, end) <= 1) return w;
  if (suffix === 'ion' && !(w[end - 1] === 's' || w[end - 1] === 't')) return w;
  return w.slice(0, end);
}

function step5(w: string): string {
  if (w.endsWith('e')) {
    const end = w.length - 1;
    const m = measure(w, end);
    if (m > 1 || (m === 1 && !endsCvc(w, end))) w = w.slice(0, end);
  }
  if (w.endsWith('ll') && measure(w, w.length) > 1) w = w.slice(0, -1);
  return w;
}
