// Writes the golden files the engine's conformance tests compare against: the reference
// implementation's token ids (and decodings) for every corpus string and every committed
// tokenizer, and its rendering of every committed chat template on every conversation.
//
// Run by hand, never in CI (see README.md here): it needs @huggingface/tokenizers and
// @huggingface/jinja installed in a scratch folder outside the repository.
//   node scripts/conformance/make-golden.mjs /path/to/scratch/node_modules
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, "../../tests/python/fixtures/conformance");
const modules = process.argv[2];
if (!modules) {
  console.error("usage: node scripts/conformance/make-golden.mjs <scratch>/node_modules");
  process.exit(2);
}
const load = async (name) => {
  const pkg = path.join(path.resolve(modules), name, "package.json");
  const meta = JSON.parse(fs.readFileSync(pkg, "utf8"));
  const entry = meta.exports?.["."]?.node?.import ?? meta.exports?.["."]?.import ?? meta.module ?? meta.main;
  return { mod: await import(pathToFileURL(path.join(path.dirname(pkg), entry)).href), version: meta.version };
};
const tk = await load("@huggingface/tokenizers");
const jj = await load("@huggingface/jinja");
const { Tokenizer } = tk.mod;
const { Template } = jj.mod;

const readJson = (p) => JSON.parse(fs.readFileSync(path.join(fixtures, p), "utf8"));
const corpus = readJson("corpus.json");
const conversations = readJson("conversations.json");
const templates = readJson("templates.json");
const tokenizerNames = fs.readdirSync(fixtures).filter((d) => fs.existsSync(path.join(fixtures, d, "tokenizer.json"))).sort();
const reference = { "@huggingface/tokenizers": tk.version, "@huggingface/jinja": jj.version };

const golden = path.join(fixtures, "golden");
fs.mkdirSync(golden, { recursive: true });
const write = (name, value) => fs.writeFileSync(path.join(golden, name), JSON.stringify(value, null, 0).replace(/\],\[/g, "],\n[") + "\n");

const tokenizers = {};
for (const name of tokenizerNames) {
  const spec = JSON.parse(fs.readFileSync(path.join(fixtures, name, "tokenizer.json"), "utf8"));
  const cfgPath = path.join(fixtures, name, "tokenizer_config.json");
  const config = fs.existsSync(cfgPath) ? JSON.parse(fs.readFileSync(cfgPath, "utf8")) : {};
  const tok = new Tokenizer(spec, config);
  tokenizers[name] = tok;
  const ids = corpus.map((s) => tok.encode(s, { add_special_tokens: false }).ids);
  const decoded = ids.map((x) => (x.length ? tok.decode(x, { skip_special_tokens: false, clean_up_tokenization_spaces: false }) : ""));
  write(`ids-${name}.json`, { reference, tokenizer: name, add_special_tokens: false, ids, decoded });
  console.log(`ids-${name}.json: ${ids.length} strings`);
}

const renders = {};
for (const [name, t] of Object.entries(templates)) {
  const source = fs.readFileSync(path.join(fixtures, t.file), "utf8");
  const template = new Template(source);
  const out = [];
  for (const [i, messages] of conversations.entries()) {
    for (const addGenerationPrompt of [false, true]) {
      const row = { conversation: i, add_generation_prompt: addGenerationPrompt };
      try {
        row.text = template.render({ messages, add_generation_prompt: addGenerationPrompt, bos_token: t.bos_token, eos_token: t.eos_token });
        if (t.tokenizer) row.ids = tokenizers[t.tokenizer].encode(row.text, { add_special_tokens: false }).ids;
      } catch (e) {
        row.error = String(e?.message ?? e).split("\n")[0];
      }
      out.push(row);
    }
  }
  renders[name] = out;
}
write("templates.json", { reference, renders });
console.log(`templates.json: ${Object.keys(renders).length} templates x ${conversations.length} conversations x 2`);
