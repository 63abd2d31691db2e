// Data files are UTF-8. Bytes that are not (a file saved as Latin-1, a truncated multi-byte
// character) would otherwise be read as U+FFFD and reach a run silently; instead the first bad
// byte is reported with its line and byte offset.

import { isUtf8 } from 'node:buffer';
import { DatasetError } from './errors.ts';

/** Throws a DatasetError at the first byte of `bytes` that is not valid UTF-8. */
export function checkUtf8(bytes: Buffer, file: string): void {
  if (isUtf8(bytes)) return;
  const offset = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const byte = bytes[offset]!.toString(16).padStart(2, '0');
  throw new DatasetError(`invalid UTF-8 at byte offset ${offset} (byte ${offset - lineStart + 1} of the line: 0x${byte}); save the file as UTF-8`, { file, line });
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are invalid too.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i;
    i += need + 1;
  }
  return bytes.length;
}
