import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelLibraryError } from '../../../core/models/errors.ts';
import { MANIFEST_FILE } from '../../../core/models/manifest.ts';
import { defaultModelLibraryDir, ModelLibrary } from '../../../core/models/model-library.ts';
import { estimateParameters } from '../../../core/models/parameters.ts';
import { checkpointFiles, tempDir, tinyConfig, writeFiles } from './helpers.ts';

const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

let root: string;
let library: ModelLibrary;
beforeEach(() => {
  root = tempDir();
  roots.push(root);
  library = new ModelLibrary({ dir: path.join(root, 'workspace', 'models'), embeddedDir: path.join(root, 'resources', 'models') });
});

function checkpoint(name: string, files = checkpointFiles()): string {
  return writeFiles(path.join(root, 'checkpoints', name), files);
}

async function addError(dir: string, options = {}): Promise<ModelLibraryError> {
  const error = await library.addModel(dir, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelLibraryError);
  return error as ModelLibraryError;
}

describe('ModelLibrary', () => {
  it('lives in <workspace>/models by default', () => {
    expect(defaultModelLibraryDir('/tmp/x/.tandem')).toBe(path.resolve('/tmp/x/.tandem/models'));
  });

  it('lists nothing when neither the library nor resources/models exists', () => {
    expect(library.listModels()).toEqual([]);
  });

  it('adds a folder as a pointer and describes it', async () => {
    const dir = checkpoint('tiny-llama');
    const entry = await library.addModel(dir);
    expect(entry).toMatchObject({
      name: 'tiny-llama',
      path: dir,
      source: 'local',
      linked: true,
      architecture: 'LlamaForCausalLM',
      parameters: estimateParameters(tinyConfig()),
      sizeBytes: readFileSync(path.join(dir, 'model.safetensors')).length,
      dtype: 'float32',
      hasChatTemplate: true,
    });
    expect(entry.problem).toBeUndefined();
    // The library folder holds just the pointer.
    const manifest = JSON.parse(readFileSync(path.join(library.dir, 'tiny-llama', MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({ format: 1, source: 'local', path: dir });
    expect(existsSync(path.join(library.dir, 'tiny-llama', 'model.safetensors'))).toBe(false);
    expect(library.listModels()).toEqual([entry]);
    expect(library.resolveModel('tiny-llama')).toBe(dir);
  });

  it('copies a folder with copy: true, leaving other weight formats behind, and reports progress', async () => {
    const dir = checkpoint('to-copy', { ...checkpointFiles({ sharded: true }), 'pytorch_model.bin': 'x'.repeat(100), 'README.md': '# hi', 'consolidated.safetensors': 'y' });
    const seen: string[] = [];
    const entry = await library.addModel(dir, { name: 'copied', copy: true, onProgress: (p) => seen.push(p.file) });
    const target = path.join(library.dir, 'copied');
    expect(entry).toMatchObject({ name: 'copied', path: target, source: 'local', linked: false });
    for (const f of ['config.json', 'tokenizer.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'README.md']) {
      expect(readFileSync(path.join(target, f)).equals(readFileSync(path.join(dir, f)))).toBe(true);
    }
    expect(existsSync(path.join(target, 'pytorch_model.bin'))).toBe(false);
    expect(existsSync(path.join(target, 'consolidated.safetensors'))).toBe(false);
    expect(new Set(seen)).toContain('model-00002-of-00002.safetensors');
    // The size counts the index's shards only.
    const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    expect(entry.sizeBytes).toBe(shards.reduce((s, f) => s + readFileSync(path.join(dir, f)).length, 0));
    // Removing the source does not affect a copy.
    rmSync(dir, { recursive: true });
    expect(library.resolveModel('copied')).toBe(target);
    expect(library.listModels().map((m) => m.name)).toEqual(['copied']);
    expect(readdirSync(path.join(library.dir, '.incomplete'))).toEqual([]); // no staging left behind
  });

  it('names every problem of a folder that is not a checkpoint at once', async () => {
    const dir = writeFiles(path.join(root, 'empty-ish'), { 'README.md': 'nothing here', 'pytorch_model.bin': 'x' });
    const error = await addError(dir);
    expect(error.code).toBe('invalid-model');
    expect(error.message).toContain(dir);
    expect(error.message).toContain('no config.json');
    expect(error.message).toMatch(/no \*\.safetensors weights \(found pytorch_model\.bin/);
    expect(error.message).toContain('no tokenizer.json');
    expect(existsSync(library.dir) ? library.listModels() : []).toEqual([]);
  });

  it.each([
    ['config.json', 'no config.json'],
    ['tokenizer.json', 'no tokenizer.json'],
    ['model.safetensors', 'no *.safetensors weights'],
  ])('says when %s is missing', async (missing, message) => {
    const files = checkpointFiles();
    delete files[missing];
    const error = await addError(checkpoint(`without-${missing}`, files));
    expect(error.message).toContain(message);
    expect(error.message.split(';')).toHaveLength(1);
  });

  it('points at the line and column of a config.json syntax error', async () => {
    const files = checkpointFiles();
    files['config.json'] = '{\n  "architectures": ["LlamaForCausalLM"],\n  "hidden_size": 16,,\n}';
    const error = await addError(checkpoint('bad-json', files));
    expect(error.message).toMatch(/config\.json is not valid JSON: line 3, column 21/);
  });

  it('says which shards an index names that are missing', async () => {
    const files = checkpointFiles({ sharded: true });
    delete files['model-00002-of-00002.safetensors'];
    const error = await addError(checkpoint('half', files));
    expect(error.message).toContain('model.safetensors.index.json names shards that are missing: model-00002-of-00002.safetensors');
  });

  it('refuses a taken name, an embedded model\'s name and an unusable name', async () => {
    const dir = checkpoint('m');
    await library.addModel(dir);
    expect((await addError(dir)).code).toBe('name-taken');
    writeFiles(path.join(root, 'resources', 'models', 'demo'), checkpointFiles());
    expect((await addError(dir, { name: 'demo' })).message).toMatch(/embedded model/);
    expect((await addError(dir, { name: '../escape' })).code).toBe('invalid-argument');
    expect((await addError(dir, { name: '.hidden' })).code).toBe('invalid-argument');
  });

  it('lists embedded models first, then the library, with what each is', async () => {
    writeFiles(path.join(root, 'resources', 'models', 'demo'), checkpointFiles({ config: tinyConfig({ torch_dtype: 'bfloat16', tie_word_embeddings: true }), chatTemplate: false }));
    await library.addModel(checkpoint('zeta'));
    await library.addModel(checkpoint('alpha', checkpointFiles({ sharded: true })));
    const models = library.listModels();
    expect(models.map((m) => [m.name, m.source])).toEqual([
      ['demo', 'embedded'],
      ['alpha', 'local'],
      ['zeta', 'local'],
    ]);
    expect(models[0]).toMatchObject({ dtype: 'bfloat16', hasChatTemplate: false, parameters: estimateParameters(tinyConfig({ tie_word_embeddings: true })) });
    expect(library.resolveModel('demo')).toBe(path.join(root, 'resources', 'models', 'demo'));
  });

  it('finds a chat template in chat_template.jinja too', async () => {
    const files = { ...checkpointFiles({ chatTemplate: false }), 'chat_template.jinja': '{{ messages }}' };
    expect((await library.addModel(checkpoint('jinja', files))).hasChatTemplate).toBe(true);
  });

  it('lists a checkpoint dropped into the library by hand, and a broken entry with its problem', async () => {
    writeFiles(path.join(library.dir, 'dropped'), checkpointFiles());
    const dir = checkpoint('moved-away');
    await library.addModel(dir);
    rmSync(dir, { recursive: true });
    const [dropped, broken] = library.listModels();
    expect(dropped).toMatchObject({ name: 'dropped', source: 'local', linked: false, architecture: 'LlamaForCausalLM' });
    expect(broken).toMatchObject({ name: 'moved-away', architecture: null });
    expect(broken!.problem).toMatch(/no longer exists/);
    expect(() => library.resolveModel('moved-away')).toThrow(/model "moved-away" cannot be used: points at .* no longer exists/);
  });

  it('resolves a folder path as it is, a pulled model by repo id, and names the known models otherwise', async () => {
    const dir = checkpoint('tiny');
    expect(library.resolveModel(dir)).toBe(dir);
    expect(() => library.resolveModel('nope')).toThrow(/unknown model "nope"; the library at .* is empty; add one with `tandem models add <dir>`/);
    await library.addModel(dir, { name: 'one' });
    await library.addModel(dir, { name: 'two' });
    const pulled = writeFiles(path.join(library.dir, 'SmolThing'), checkpointFiles());
    writeFileSync(path.join(pulled, MANIFEST_FILE), JSON.stringify({ format: 1, source: 'pulled', repo: 'org/SmolThing', revision: 'main', sha: 'a'.repeat(40), files: [] }));
    expect(library.resolveModel('org/SmolThing')).toBe(pulled);
    expect(library.getModel('SmolThing')).toMatchObject({ source: 'pulled', repo: 'org/SmolThing', revision: 'main' });
    let error: unknown;
    try {
      library.resolveModel('three');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelLibraryError);
    expect((error as ModelLibraryError).code).toBe('unknown-model');
    expect((error as ModelLibraryError).message).toBe('unknown model "three"; known models: SmolThing, one, two');
    expect(() => library.resolveModel('./not/here')).toThrow(/no model folder at .*not\/here; known models/);
  });

  it('reports a malformed manifest as the entry\'s problem instead of failing the listing', async () => {
    writeFiles(path.join(library.dir, 'garbled'), { [MANIFEST_FILE]: '{oops' });
    await library.addModel(checkpoint('fine'));
    const models = library.listModels();
    expect(models.map((m) => m.name)).toEqual(['fine', 'garbled']);
    expect(models[1]!.problem).toMatch(/tandem-model\.json is not valid JSON/);
  });
});
