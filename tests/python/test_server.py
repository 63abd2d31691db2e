"""The server end to end, as a subprocess speaking HTTP (as the Node side uses it)."""

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from conftest import ENGINE_PATH, TRAIN_ROWS


# The bearer token every request sends; the engine reads it from TANDEM_ENGINE_TOKEN.
TOKEN = "test-token-0123456789abcdef"


def _env(token=TOKEN):
    env = {**os.environ, "PYTHONPATH": ENGINE_PATH, "OPENBLAS_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("TANDEM_ENGINE_TOKEN", None)
    if token is not None:
        env["TANDEM_ENGINE_TOKEN"] = token
    return env


def _start(model_dir, *extra, token=TOKEN):
    proc = subprocess.Popen([sys.executable, "-m", "tandem_engine", "serve", "--model", model_dir, "--port", "0",
                             "--threads", "2", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(token), text=True)
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise AssertionError(f"engine did not start: {proc.stderr.read()}")
    return proc, json.loads(line)


def _request(base, path, body=None, raw=None, token=TOKEN, headers=None):
    """(status, JSON body, response headers)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    sent = {"Content-Type": "application/json"}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    sent.update(headers or {})
    req = urllib.request.Request(base + path, data=data, headers={k: v for k, v in sent.items() if v is not None})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read()), r.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), e.headers


def _call(base, path, body=None, raw=None, token=TOKEN):
    status, payload, _ = _request(base, path, body, raw, token)
    return status, payload


@pytest.fixture(scope="module")
def adapter_root(tmp_path_factory):
    """The folder the server may load adapters from (--adapter-root)."""
    return tmp_path_factory.mktemp("srv")


@pytest.fixture(scope="module")
def adapter_dir(llama_dir, adapter_root):
    tmp = adapter_root
    data = tmp / "train.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in TRAIN_ROWS) + "\n")
    out = str(tmp / "adapter")
    r = subprocess.run([sys.executable, "-m", "tandem_engine", "train", "--base", llama_dir, "--data", str(data),
                        "--out", out, "--rank", "8", "--alpha", "16", "--lr", "2e-2", "--epochs", "4",
                        "--batch-size", "2", "--seed", "1", "--threads", "2"],
                       capture_output=True, text=True, env=_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[0]["event"] == "start" and lines[-1]["event"] == "done"
    return out


@pytest.fixture(scope="module")
def server(llama_dir, adapter_root):
    proc, ready = _start(llama_dir, "--max-batch", "8", "--adapter-root", str(adapter_root))
    yield ready
    proc.terminate()
    proc.wait(timeout=10)


def test_listening_line_and_models(server):
    assert server["event"] == "listening" and server["base_url"] == f"http://127.0.0.1:{server['port']}/v1"
    base = f"http://127.0.0.1:{server['port']}"
    assert _call(base, "/health")[0] == 200
    status, models = _call(server["base_url"], "/models")
    assert status == 200 and [m["id"] for m in models["data"]] == [server["model"]]


def test_chat_adapters_and_errors(server, adapter_dir):
    base, name = server["base_url"], server["model"]
    body = {"model": name, "messages": [{"role": "user", "content": "what is the answer?"}],
            "temperature": 0, "max_tokens": 8}
    status, r = _call(base, "/chat/completions", body)
    assert status == 200 and r["object"] == "chat.completion"
    assert r["usage"]["completion_tokens"] == 8 and r["choices"][0]["finish_reason"] == "length"
    assert _call(base, "/chat/completions", body)[1]["choices"] == r["choices"]  # greedy is deterministic

    status, res = _call(base, "/load_lora_adapter", {"lora_name": "tuned", "lora_path": adapter_dir})
    assert status == 200, res
    assert "tuned" in [m["id"] for m in _call(base, "/models")[1]["data"]]
    status, tuned = _call(base, "/chat/completions", {**body, "model": "tuned"})
    assert status == 200 and tuned["choices"][0]["message"]["content"] != r["choices"][0]["message"]["content"]
    assert tuned["choices"][0]["message"]["content"].startswith("the answer")

    status, n2 = _call(base, "/chat/completions", {**body, "n": 2, "temperature": 1.0, "seed": 3})
    assert status == 200 and len(n2["choices"]) == 2 and n2["usage"]["completion_tokens"] <= 16

    assert _call(base, "/unload_lora_adapter", {"lora_name": "tuned"})[0] == 200
    status, err = _call(base, "/chat/completions", {**body, "model": "tuned"})
    assert status == 404 and "does not exist" in err["error"]["message"]
    assert _call(base, "/unload_lora_adapter", {"lora_name": "tuned"})[0] == 404
    status, err = _call(base, "/chat/completions", raw=b"{not json")
    assert status == 400 and err["error"]["type"] == "invalid_request_error"
    assert _call(base, "/chat/completions", {**body, "temperature": "hot"})[0] == 400
    assert _call(base, "/chat/completions", {"model": name, "messages": []})[0] == 400
    assert _call(base, "/load_lora_adapter", {"lora_name": "x", "lora_path": "nonexistent"})[0] == 404


def test_concurrent_requests(server):
    base = server["base_url"]
    results = [None] * 12

    def ask(i):
        results[i] = _call(base, "/chat/completions", {
            "model": server["model"], "messages": [{"role": "user", "content": f"question {i % 3}"}],
            "temperature": 0, "max_tokens": 6 + i % 5})
    threads = [threading.Thread(target=ask, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(s == 200 for s, _ in results)
    assert all(r["usage"]["completion_tokens"] == 6 + i % 5 for i, (_, r) in enumerate(results))
    # same question, same greedy prefix whatever the batch it ran in
    texts = [r["choices"][0]["message"]["content"] for _, r in results]
    assert texts[3].startswith(texts[0].rstrip("\ufffd"))


def test_port_in_use(server, llama_dir):
    r = subprocess.run([sys.executable, "-m", "tandem_engine", "serve", "--model", llama_dir,
                        "--port", str(server["port"])], capture_output=True, text=True, env=_env(), timeout=60)
    assert r.returncode == 3
    err = json.loads(r.stdout.splitlines()[-1])
    assert err["event"] == "error" and "already in use" in err["message"]


def test_bad_model_dir_fails_with_error_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "tandem_engine", "serve", "--model", str(tmp_path)],
                       capture_output=True, text=True, env=_env(), timeout=60)
    assert r.returncode == 1 and "config.json" in json.loads(r.stdout.splitlines()[-1])["message"]
