import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOW_PATTERNS, matchesAny } from '../../../core/models/file-patterns.ts';

describe('allow patterns', () => {
  it('takes a checkpoint\'s top-level files and leaves other formats and sub-folders', () => {
    const allow = matchesAny(DEFAULT_ALLOW_PATTERNS);
    const files = [
      'config.json',
      'generation_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'model.safetensors',
      'model-00001-of-00002.safetensors',
      'model.safetensors.index.json',
      'pytorch_model.bin',
      'onnx/model.safetensors',
      'README.md',
      '.gitattributes',
      'tokenizer.model',
    ];
    expect(files.filter(allow)).toEqual(files.slice(0, 8));
  });

  it('supports ?, * within a folder and ** across folders', () => {
    expect(matchesAny(['model-0000?-of-00002.safetensors'])('model-00002-of-00002.safetensors')).toBe(true);
    expect(matchesAny(['*.json'])('a/b.json')).toBe(false);
    expect(matchesAny(['**/*.json'])('a/b.json')).toBe(true);
    expect(matchesAny(['**/*.json'])('b.json')).toBe(true);
    expect(matchesAny(['a+b.json'])('aab.json')).toBe(false);
  });
});
