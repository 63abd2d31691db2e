// Finding 2 of #18: file names from the hub that could write outside a model folder on Windows
// (or be read as a drive, a device or a parent) are refused.
import { describe, expect, it } from 'vitest';
import { unsafeRepoFileName } from '../../../core/models/repo-file-name.ts';

describe('hub file names', () => {
  it('accepts ordinary repo paths', () => {
    for (const name of ['config.json', 'model.safetensors', 'onnx/model.onnx', 'tokenizer.json', '.gitattributes', 'a.b/c-d_e.txt']) {
      expect(unsafeRepoFileName(name), name).toBeNull();
    }
  });

  it('refuses backslashes, drives, control characters, absolute and dot-dot paths, and Windows device names', () => {
    const cases: Array<[string, RegExp]> = [
      ['..\\..\\evil.safetensors', /backslash/],
      ['weights\\model.safetensors', /backslash/],
      ['C:evil.safetensors', /colon/],
      ['model.safetensors:stream', /colon/],
      ['/etc/passwd', /absolute/],
      ['../evil.safetensors', /"\.\." path segment/],
      ['a/./b', /"\." path segment/],
      ['a//b', /empty/],
      ['', /empty/],
      ['bad\u0000name', /control/],
      ['line\nbreak.json', /control/],
      ['folder./x', /ends with a dot or space/],
      ['nul.json', /device/],
      ['sub/COM1', /device/],
    ];
    for (const [name, reason] of cases) expect(unsafeRepoFileName(name), JSON.stringify(name)).toMatch(reason);
  });
});
