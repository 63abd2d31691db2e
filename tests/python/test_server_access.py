"""The engine accepted anyone on the machine: no token, no Host check, JSON parsed whatever the
Content-Type, adapters loaded from any path and local paths listed on /v1/models. A web page
could post text/plain requests to it and, with DNS rebinding, read the answers. These tests
probe the server as such a caller would, as a subprocess speaking HTTP."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from test_server import TOKEN, _call, _env, _request, _start


@pytest.fixture(scope="module")
def root(tmp_path_factory, adapter_dir):
    """An adapter root holding a copy of the trained adapter; the original stays outside it."""
    r = tmp_path_factory.mktemp("adapter-root")
    shutil.copytree(adapter_dir, r / "good")
    return r


@pytest.fixture(scope="module")
def adapter_dir(llama_dir, tmp_path_factory):
    from conftest import TRAIN_ROWS
    tmp = tmp_path_factory.mktemp("outside")
    data = tmp / "train.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in TRAIN_ROWS) + "\n")
    out = str(tmp / "adapter")
    r = subprocess.run([sys.executable, "-m", "tandem_engine", "train", "--base", llama_dir, "--data", str(data),
                        "--out", out, "--rank", "4", "--alpha", "8", "--epochs", "1", "--batch-size", "2",
                        "--seed", "1", "--threads", "2"], capture_output=True, text=True, env=_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def server(llama_dir, root):
    proc, ready = _start(llama_dir, "--adapter-root", str(root))
    yield ready
    proc.terminate()
    proc.wait(timeout=10)


def _origin(ready):
    return f"http://127.0.0.1:{ready['port']}"


def test_engine_accepts_anyone__requests_without_the_token_get_401(server):
    base = server["base_url"]
    status, err, headers = _request(_origin(server), "/health", token=None)
    assert status == 401 and err["error"]["type"] == "authentication_error", err
    assert headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert _call(base, "/models", token=None)[0] == 401
    status, err = _call(base, "/unload_lora_adapter", {"lora_name": "x"}, token=None)
    assert status == 401 and TOKEN not in json.dumps(err)
    assert _call(base, "/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}, token=None)[0] == 401


def test_engine_accepts_anyone__a_wrong_token_gets_401(server):
    base = server["base_url"]
    assert _call(base, "/models", token="x" * len(TOKEN))[0] == 401
    assert _call(base, "/models", token=TOKEN[:-1])[0] == 401
    status, _, _ = _request(base, "/models", token=None, headers={"Authorization": f"Basic {TOKEN}"})
    assert status == 401
    assert _call(base, "/models")[0] == 200  # the right token


def test_engine_accepts_anyone__a_foreign_host_is_refused(server):
    """DNS rebinding: the browser sends the attacker's name as Host."""
    base, port = server["base_url"], server["port"]
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.nip.io:{port}", f"127.0.0.1:{port + 1}"):
        status, err, _ = _request(base, "/models", headers={"Host": host})
        assert status == 403 and "Host" in err["error"]["message"], (host, err)
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
        assert _request(base, "/models", headers={"Host": host})[0] == 200, host


def test_engine_accepts_anyone__a_web_page_of_another_origin_is_refused(server):
    base, port = server["base_url"], server["port"]
    for origin in ("https://evil.example", "null", f"http://evil.example:{port}"):
        status, err, _ = _request(base, "/unload_lora_adapter", {"lora_name": "good"}, headers={"Origin": origin})
        assert status == 403 and "origin" in err["error"]["message"], (origin, err)
    assert _request(base, "/models", headers={"Origin": f"http://localhost:{port}"})[0] == 200


def test_engine_accepts_anyone__a_text_plain_post_gets_415(server):
    """A page may send text/plain cross-origin without a preflight; the engine parsed it as JSON."""
    base = server["base_url"]
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        status, err, _ = _request(base, "/unload_lora_adapter", raw=b'{"lora_name": "good"}',
                                  headers={"Content-Type": content_type})
        assert status == 415 and "application/json" in err["error"]["message"], (content_type, err)
    status, _, _ = _request(base, "/unload_lora_adapter", {"lora_name": "none"},
                            headers={"Content-Type": "application/json; charset=utf-8"})
    assert status == 404  # parsed: the adapter is unknown


def test_engine_accepts_anyone__adapters_load_only_from_the_adapter_root(server, root, adapter_dir, tmp_path):
    base = server["base_url"]

    def load(name, path):
        return _call(base, "/load_lora_adapter", {"lora_name": name, "lora_path": path})

    status, err = load("outside", adapter_dir)
    assert status == 403 and "outside" in err["error"]["message"], err
    outside = os.path.relpath(adapter_dir, root)
    assert outside.startswith("..")
    assert load("dotdot", str(root / outside))[0] == 403
    assert load("dotdot-rel", outside)[0] == 403
    link = root / "link-out"
    link.symlink_to(adapter_dir, target_is_directory=True)
    assert load("symlink", str(link))[0] == 403
    assert load("symlink-rel", "link-out")[0] == 403
    linked_files = root / "linked-files"
    linked_files.mkdir()
    for f in ("adapter_config.json", "adapter_model.safetensors"):
        (linked_files / f).symlink_to(os.path.join(adapter_dir, f))
    status, err = load("linked-files", str(linked_files))
    assert status == 403, err
    assert [m["id"] for m in _call(base, "/models")[1]["data"]] == [server["model"]]  # none of them loaded

    status, res = load("good", str(root / "good"))
    assert status == 200, res
    assert load("good", "good")[0] == 200  # relative to the root: the same folder, already loaded
    status, err = load("missing", "no-such-adapter")
    assert status == 404 and str(root) not in err["error"]["message"] and "no-such-adapter" in err["error"]["message"]
    assert _call(base, "/unload_lora_adapter", {"lora_name": "good"})[0] == 200


def test_engine_accepts_anyone__responses_name_no_local_paths(server, root, llama_dir):
    base = server["base_url"]
    assert _call(base, "/load_lora_adapter", {"lora_name": "good", "lora_path": "good"})[0] == 200
    try:
        status, models = _call(base, "/models")
        assert status == 200 and {m["id"] for m in models["data"]} == {server["model"], "good"}
        text = json.dumps(models)
        assert llama_dir not in text and str(root) not in text and os.path.realpath(str(root)) not in text
        assert all(m["root"] == m["id"] for m in models["data"])
        status, err = _call(base, "/load_lora_adapter", {"lora_name": "good", "lora_path": "linked-files"})
        assert status in (400, 403) and str(root) not in json.dumps(err) and llama_dir not in json.dumps(err)
    finally:
        _call(base, "/unload_lora_adapter", {"lora_name": "good"})


def test_engine_accepts_anyone__no_adapters_over_http_without_an_adapter_root(llama_dir, root):
    proc, ready = _start(llama_dir)
    try:
        status, err = _call(ready["base_url"], "/load_lora_adapter", {"lora_name": "good", "lora_path": str(root / "good")})
        assert status == 403 and "--adapter-root" in err["error"]["message"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_engine_accepts_anyone__it_refuses_to_start_without_a_token(llama_dir):
    for token in (None, "", "short"):
        r = subprocess.run([sys.executable, "-m", "tandem_engine", "serve", "--model", llama_dir, "--port", "0"],
                           capture_output=True, text=True, env=_env(token), timeout=60)
        assert r.returncode == 1, r.stderr
        err = json.loads(r.stdout.splitlines()[-1])
        assert err["event"] == "error" and "TANDEM_ENGINE_TOKEN" in err["message"], err


def test_engine_accepts_anyone__no_auth_serves_without_a_token_but_still_checks_host(llama_dir):
    proc, ready = _start(llama_dir, "--no-auth", token=None)
    try:
        assert ready["auth"] is False
        base = ready["base_url"]
        assert _call(base, "/models", token=None)[0] == 200
        assert _request(base, "/models", token=None, headers={"Host": "evil.example"})[0] == 403
        assert _request(base, "/unload_lora_adapter", raw=b"{}", token=None, headers={"Content-Type": "text/plain"})[0] == 415
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_servers_are_bounded__a_body_announced_over_the_limit_gets_413_at_once(server):
    """Found by `npm run audit:web`: the engine answered 400 to an oversized body; 413 says what it is."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
    conn.putrequest("POST", "/v1/chat/completions")
    conn.putheader("Authorization", f"Bearer {TOKEN}")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(1024 * 1024 * 1024))
    conn.endheaders()
    response = conn.getresponse()
    payload = json.loads(response.read())
    assert response.status == 413 and "larger than" in payload["error"]["message"], payload
    assert response.getheader("Connection") == "close"
    conn.close()
