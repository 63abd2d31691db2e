// Where a JSON text first goes wrong. V8 names the position for most syntax errors but not all
// (Node 20 reports "Unexpected token '}', ..." without one), so when the message has none this
// small validator finds it: the index of the first offending character, or the text's length
// when the input ends early.

/** The 0-based index JSON.parse's error points at: from its message when present, else scanned. */
export function jsonErrorIndex(text: string, error: unknown): number {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  // Newer V8 reports "(line L column C)" instead; JSONL lines are single lines.
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn && lineColumn[1] === '1') return Number(lineColumn[2]) - 1;
  const scanned = scanJsonError(text);
  return scanned < 0 ? 0 : scanned;
}

class Stop {
  constructor(readonly at: number) {}
}

/** Index of the first syntax error in `text`, or -1 if it is valid JSON. */
export function scanJsonError(text: string): number {
  let i = 0;
  const fail = (at = i): never => {
    throw new Stop(Math.min(at, text.length));
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return;
      }
      if (code < 0x20) fail();
      if (code === 0x5c) {
        const esc = text[i + 1];
        if (esc === undefined) fail(i + 1);
        if (esc === 'u') {
          for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) fail(i + k);
          i += 6;
        } else if ('"\\/bfnrt'.includes(esc!)) {
          i += 2;
        } else {
          fail(i + 1);
        }
        continue;
      }
      i++;
    }
  };
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? '')) fail();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === undefined) fail();
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    }
    if (ch === '"') return string();
    if (ch === '-' || /[0-9]/.test(ch!)) return number();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (stop) {
    if (stop instanceof Stop) return stop.at;
    throw stop;
  }
}
