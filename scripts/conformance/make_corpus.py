"""Writes tests/python/fixtures/conformance/corpus.json: the strings every tokenizer is checked on.

Deterministic (no randomness), so rerunning it reproduces the committed file byte for byte.
Run by hand: /usr/bin/python3 scripts/conformance/make_corpus.py
"""

import json
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "python", "fixtures", "conformance", "corpus.json")

SENTENCES = [
    "Hello world", "Hello, world!", "The quick brown fox jumps over the lazy dog.",
    "I'm here, you're there, they've gone and we'll see; he'd say it's done.",
    "DON'T SHOUT. I'M FINE. THEY'LL COME.", "O'Neil's rock'n'roll",
    "Numbers: 1 12 123 1234 12345 3.14159 -42 1e10 0x1F 1,000,000",
    "Dates 2024-01-31T12:00:00Z and times 23:59", "Phone +1 (555) 010-9999",
    "email: someone@example.com, url: https://example.org/a/b?c=d&e=f#g",
    "Yes!!!", "What?!?", "Wait... what...?", "(((nested)))", "[a] {b} <c>",
    "\"quoted\" 'single' `back`", "hash #tag @mention $money 100% ^caret &amp; *star*",
    "a_b-c+d=e/f\\g|h~i", "semi;colon:colon", "ellipsis… em—dash en–dash",
    "«guillemets» „low quotes“ ‘curly’ “double”",
    "café naïve résumé coöperate façade", "Ærøskøbing Ångström Straße ß ẞ",
    "Ελληνικά κείμενο", "Русский текст, ёжик", "עברית שלום", "العربية مرحبا بالعالم",
    "हिन्दी नमस्ते दुनिया", "বাংলা লেখা", "ภาษาไทย สวัสดี", "中文测试，你好世界。", "日本語のテキスト、カタカナ、ひらがな",
    "한국어 텍스트입니다", "Tiếng Việt có dấu", "Türkçe İstanbul ılık", "ქართული", "Հայերեն",
    "emoji 😀😃😄 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️", "math ∑∫√∞ ≤≥≠ ±×÷ αβγ", "arrows ←↑→↓ ⇒ ⇔",
    "currency € £ ¥ ₹ ₿ ¢", "superscripts x² y³ ½ ¾ ⅓ Ⅻ ①", "fullwidth ＡＢＣ１２３",
    "ligatures ﬁ ﬂ ﬀ", "Unicode 15 Kawi ab\U00011f04\U00011f05cd xy", "combining e\u0301 a\u0308 n\u0303", "zero\u200bwidth\u200cjoiner\u200d",
    "bidi \u202ehidden\u202c text", "nbsp\u00a0here and narrow\u202fnbsp", "ideographic\u3000space",
    "def f(x):\n    return x * 2\n", "if (a && b) { return c; } else { return d; }",
    "for i in range(10):\n\tprint(i)\n", "SELECT * FROM t WHERE id = 1;", "<div class=\"x\">hi</div>",
    "{\"key\": [1, 2, {\"n\": null}]}", "#include <stdio.h>\nint main(void) { return 0; }",
    "const x = () => { console.log('hi'); };", "$ ls -la | grep foo > out.txt 2>&1",
    "| col1 | col2 |\n|------|------|\n| a    | b    |", "- item one\n- item two\n  - nested",
    "# Heading\n\nParagraph with **bold** and _italic_.", "> quoted line\n> second",
    "Question: What is 2+2?\nAnswer: 4", "Q: Capital of France?\nA: Paris.",
    "Translate to French: I love cheese.", "Summarize the following text in one sentence.",
    "You are a helpful assistant.", "The answer is (B).", "Step 1: add. Step 2: multiply. Step 3: done.",
    "sepal_length=5.1, sepal_width=3.5 -> setosa", "label: positive\nlabel: negative",
    "supercalifragilisticexpialidocious", "antidisestablishmentarianism", "pneumonoultramicroscopic",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababab", "xXxXxXxX",
    "CamelCaseIdentifier snake_case_identifier SCREAMING_CASE kebab-case",
    "iPhone eBay McDonald's", "U.S.A. e.g. i.e. etc.", "3rd 21st 2nd 100th",
]

WHITESPACE = [
    "", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n ", "\t\t\n", "a b", "a  b", "a   b",
    " leading", "  two leading", "trailing ", "trailing  ", " both ", "\nnewline first",
    "newline last\n", "tab\tseparated\tvalues", "mixed \t \n whitespace", "line1\nline2\nline3",
    "para1\n\npara2", "crlf\r\nline", "cr\ronly", "    indented four", "\t\tindented tabs",
    "a\u000bb", "a\u000cb", "a\u0085b", "a\u2028b", "a\u2029b", "word   \n   word",
    "x \u00a0 y", "end with spaces   ", "   ",
]

CONTROL = [
    "bell\x07here", "nul\x00byte", "esc\x1b[0m", "del\x7fchar", "ctrl \x01\x02\x03", "sep\x1c\x1d\x1e\x1fend",
    "a \x1cb", "x\x1d y", "\x1e\x1e  z", "end \x1f", "  \x1c\x1d  ", "a\x1c\nb", "word \x1f\x1fword",
    "\ufeffbom start", "a \ufeff b", "a \x85 b", "x\u0085\u0085 y", "a \ufeffb", "a \x85b",
    "a\x04b", "a\x06b", "a\x13b\x14c", "a\x16b", "x\x1dy", "\x0b", "tab\x0bvertical",
]

SPECIAL = [
    "<s>", "</s>", "<unk>", "<s>hello</s>", "text</s> more", "text </s> more", "</s>text", " </s>",
    "<s> [INST] hi [/INST]", "<s>[INST] hi [/INST] answer</s>", "<|endoftext|>", "a<|endoftext|>b",
    "<|endoftext|> after", "before <|endoftext|>", "<|user|>\nhello<|end|>\n<|assistant|>\n",
    "<|user|> hi <|end|> <|assistant|>", "<|system|>You are kind.<|end|>", "<|im_start|>user\nhi<|im_end|>",
    ">>TITLE<< heading >>ABSTRACT<<", "<|end|>", "<|assistant|>   spaced", "<s><s></s></s>",
    "<<SYS>>\nsystem\n<</SYS>>\n\n", "[INST] question [/INST]", "< s >", "<s", "s>", "</ s>",
    "token<|placeholder1|>x", "    <|endoftext|>    ",
]

words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
COMBOS = []
for i in range(40):
    w = [words[(i * 3 + k) % len(words)] for k in range(1 + i % 5)]
    sep = [" ", "  ", "\n", "\t", ", ", "-", "_", ". "][i % 8]
    COMBOS.append(sep.join(w) + ("" if i % 3 else "!") + (" " * (i % 4)) + str(i * 37))
for i in range(30):
    COMBOS.append(" ".join(str((i + 1) * 10 ** k) for k in range(i % 7)) + f" total={i * 1.5}")
for i, s in enumerate(SENTENCES[:20]):
    COMBOS.append(s.upper() if i % 2 else s.lower())
    COMBOS.append(("  " if i % 3 == 0 else "") + s + ("\n" * (i % 3)))

LONG = [
    " ".join(SENTENCES[:12]),
    "\n".join(SENTENCES[40:60]),
    "The model reads a tokenizer file. " * 20,
    "word " * 100,
    "x" * 300,
    "1234567890" * 20,
]

corpus = SENTENCES + WHITESPACE + CONTROL + SPECIAL + COMBOS + LONG
seen = set()
unique = []
for s in corpus:
    if s not in seen:
        seen.add(s)
        unique.append(s)

with open(OUT, "w", encoding="utf-8") as f:
    json.dump(unique, f, ensure_ascii=True, indent=0)
    f.write("\n")
print(len(unique), "strings ->", os.path.normpath(OUT))
