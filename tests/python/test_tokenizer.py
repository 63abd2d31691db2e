import random

import pytest

from tandem_engine.errors import EngineError
from tandem_engine.tokenizer import Tokenizer, _BPE

TEXTS = ["hello world", "The answer is 42.", "  leading and   inner   spaces\n\nnew\tlines ",
         "unicode: héllo wörld, 日本語, emoji 🙂👍🏽", "it's they're we'll 12345678", "", "x"]


@pytest.mark.parametrize("which", ["llama_dir", "qwen2_dir", "mistral_dir"])
def test_round_trip(which, request):
    tok = Tokenizer.from_dir(request.getfixturevalue(which))
    for text in TEXTS:
        ids = tok.encode(text)
        assert all(0 <= i < tok.vocab_size for i in ids)
        assert tok.decode(ids) == text


def test_byte_level_merges_and_specials(llama_dir):
    tok = Tokenizer.from_dir(llama_dir)
    ids = tok.encode("the answer")
    assert len(ids) < len("the answer")  # merges learned from the corpus apply
    text = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>"
    ids = tok.encode(text)
    assert ids[0] == tok.token_id("<|begin_of_text|>") and ids[-1] == tok.token_id("<|eot_id|>")
    assert tok.decode(ids, skip_special_tokens=False) == text
    assert tok.decode(ids) == "user\n\nhi"


def test_sentencepiece_style(mistral_dir):
    tok = Tokenizer.from_dir(mistral_dir)
    ids = tok.encode("hello 日本")
    pieces = [tok.id_to_token[i] for i in ids]
    assert pieces[0].startswith("▁")  # metaspace prepended
    assert "<0xE6>" in pieces  # unseen characters fall back to bytes
    assert tok.encode("hi", add_special_tokens=True)[0] == tok.token_id("<s>")
    assert tok.decode(tok.encode("<s>[INST] hi [/INST]"), skip_special_tokens=True) == "[INST] hi [/INST]"


def test_incremental_decoder_waits_for_whole_characters(llama_dir):
    tok = Tokenizer.from_dir(llama_dir)
    ids = tok.encode("日本🙂")
    dec = tok.incremental_decoder()
    pieces = [dec.push(i) for i in ids]
    assert "".join(pieces) + dec.flush() == "日本🙂"
    assert all("\ufffd" not in p for p in pieces)


def _naive_bpe(word, ranks):
    syms = list(word)
    while True:
        best = min(((ranks[(a, b)], i) for i, (a, b) in enumerate(zip(syms, syms[1:])) if (a, b) in ranks),
                   default=None)
        if best is None:
            return syms
        i = best[1]
        syms[i:i + 2] = [syms[i] + syms[i + 1]]


def test_heap_bpe_matches_naive_merging():
    rng = random.Random(0)
    alphabet = "abcd"
    merges, vocab = [], {c: i for i, c in enumerate(alphabet)}
    for _ in range(30):
        a, b = rng.choice(list(vocab)), rng.choice(list(vocab))
        if (a + b) not in vocab and len(a + b) < 6:
            merges.append(f"{a} {b}")
            vocab[a + b] = len(vocab)
    bpe = _BPE({"vocab": vocab, "merges": merges})
    for _ in range(300):
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25)))
        assert bpe._merge(word) == _naive_bpe(word, bpe.ranks)


def test_unsupported_and_missing(tmp_path):
    with pytest.raises(EngineError, match="no tokenizer.json"):
        Tokenizer.from_dir(str(tmp_path))
    with pytest.raises(EngineError, match="WordPiece"):
        Tokenizer({"model": {"type": "WordPiece", "vocab": {}}})
    with pytest.raises(EngineError, match="pre-tokenizer"):
        Tokenizer({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Foo"}})
