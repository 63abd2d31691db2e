"""Compares the engine, the golden files (transformers.js) and Rust `tokenizers` on the corpus.

Run by hand with a Python that has the `tokenizers` package (the library the Python
`transformers` uses), e.g. a scratch virtual environment:
    python3 -m venv /tmp/rustref && /tmp/rustref/bin/pip install tokenizers
    /tmp/rustref/bin/python scripts/conformance/compare_rust.py
It prints every corpus string where the three disagree. Where Rust and JavaScript differ the engine
follows Rust; tests/python/test_conformance.py pins those strings (DELIBERATE) to Rust's ids.
"""

import json
import os
import sys

from tokenizers import Tokenizer as RustTokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURES = os.path.join(ROOT, "tests", "python", "fixtures", "conformance")
sys.path.insert(0, os.path.join(ROOT, "resources", "engine"))
sys.dont_write_bytecode = True

from tandem_engine.tokenizer import Tokenizer  # noqa: E402

with open(os.path.join(FIXTURES, "corpus.json"), encoding="utf-8") as f:
    corpus = json.load(f)
for name in sorted(os.listdir(FIXTURES)):
    path = os.path.join(FIXTURES, name, "tokenizer.json")
    if not os.path.exists(path):
        continue
    try:
        rust = RustTokenizer.from_file(path)
    except Exception as e:  # some older files (Llama-2's merges) do not load in newer releases
        print(f"{name}: Rust tokenizers cannot load it ({e})")
        continue
    engine = Tokenizer.from_dir(os.path.join(FIXTURES, name))
    with open(os.path.join(FIXTURES, "golden", f"ids-{name}.json"), encoding="utf-8") as f:
        golden = json.load(f)["ids"]
    same_rust = 0
    for text, js in zip(corpus, golden):
        r = rust.encode(text, add_special_tokens=False).ids
        e = engine.encode(text)
        same_rust += r == e
        if not (r == js == e):
            print(f"  {name} {text!r}: rust {r} js {js} engine {e}")
    print(f"{name}: engine == Rust on {same_rust}/{len(corpus)}")
