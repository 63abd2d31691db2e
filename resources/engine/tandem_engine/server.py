"""OpenAI-compatible HTTP server: /health, /v1/models, /v1/chat/completions, LoRA hot-loading.

A ThreadingHTTPServer parses and validates requests, then hands sequences to the single
Scheduler thread (continuous batching) and waits for them. Errors are answered in OpenAI's
shape {"error": {"message", "type", "param", "code"}}: 400 bad request, 401 no or wrong token,
403 refused Host/Origin or adapter path, 404 unknown model or path, 415 POST body not JSON,
500/503 engine failures. Adapter loading follows vLLM: POST /v1/load_lora_adapter
{"lora_name", "lora_path"} and POST /v1/unload_lora_adapter {"lora_name"}.

Access: every request must name this server in its Host header (a loopback name or the bound
address, with this server's port or none), must not come from a web page of another origin
(Origin header, when present, must be loopback), and must carry `Authorization: Bearer <token>`
with the token the engine was started with (TANDEM_ENGINE_TOKEN), unless it was started with
--no-auth. POST bodies must be `Content-Type: application/json`. Adapters load only from inside
the adapter folder given with --adapter-root, and responses never name local paths.
"""

import errno
import hmac
import ipaddress
import sys
import json
import logging
import os
import threading
import time
import uuid
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import lora
from .errors import EngineError
from .generate import SamplingParams, Sequence, _is_oom
from .scheduler import Scheduler
from .train_data import _normalize_messages

log = logging.getLogger("tandem_engine.server")
MAX_BODY = 64 * 1024 * 1024
DEFAULT_MAX_TOKENS = 1024


class Engine:
    """Request logic independent of HTTP: validation, adapters registry, completions."""

    def __init__(self, loaded, served_name: str, max_batch: int = 16, adapter_root: str | None = None):
        self.loaded = loaded
        # Adapters load over HTTP only from inside this folder (None: not at all).
        self.adapter_root = os.path.abspath(adapter_root) if adapter_root else None
        self.served_name = served_name
        self.scheduler = Scheduler(loaded, max_batch=max_batch)
        self.adapters: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.created = int(time.time())

    # --- models & adapters ------------------------------------------------------------------

    def models(self) -> dict:
        # "root" names the model, never a local path (callers need not know where files are).
        data = [{"id": self.served_name, "object": "model", "created": self.created, "owned_by": "tandem",
                 "root": self.served_name, "parent": None, "max_model_len": self.loaded.max_context}]
        with self.lock:
            for name, info in sorted(self.adapters.items()):
                data.append({"id": name, "object": "model", "created": info["created"], "owned_by": "tandem",
                             "root": name, "parent": self.served_name,
                             "max_model_len": self.loaded.max_context})
        return {"object": "list", "data": data}

    def _adapter_dir(self, given: str) -> str:
        """The real path of `given` (relative paths are taken from the adapter root), refused unless
        it and the files read from it resolve, symlinks followed, inside the adapter root."""
        if self.adapter_root is None:
            raise EngineError("this engine loads no adapters over HTTP: it was started without --adapter-root",
                              "permission_error", 403, "lora_path")
        root = os.path.realpath(self.adapter_root)
        try:
            real = os.path.realpath(os.path.join(root, given))
        except (ValueError, OSError) as e:
            raise EngineError("'lora_path' is not a usable path", param="lora_path") from e

        def inside(p: str) -> bool:
            return os.path.commonpath([root, p]) == root
        if not inside(real):
            raise EngineError("'lora_path' is outside this engine's adapter folder (--adapter-root)",
                              "permission_error", 403, "lora_path")
        if not os.path.isdir(real):
            shown = os.path.relpath(real, root)
            raise EngineError(f"adapter directory not found in the adapter folder: {shown}", "NotFoundError", 404,
                              "lora_path")
        for f in ("adapter_config.json", "adapter_model.safetensors"):
            if os.path.exists(os.path.join(real, f)) and not inside(os.path.realpath(os.path.join(real, f))):
                raise EngineError(f"'lora_path' holds {f}, a link to outside this engine's adapter folder",
                                  "permission_error", 403, "lora_path")
        return real

    def _scrub(self, message: str, real: str, given: str) -> str:
        """An adapter error without local paths the caller did not send."""
        message = message.replace(real, given)
        if self.loaded.path:
            message = message.replace(f" ({self.loaded.path})", "").replace(self.loaded.path, self.served_name)
        if self.adapter_root:
            message = message.replace(os.path.realpath(self.adapter_root), "<adapter folder>")
        return message

    def load_adapter(self, body: dict, trusted: bool = False) -> dict:
        """Loads a PEFT adapter. `trusted` (adapters named on the command line) skips the adapter-root check."""
        name, given = body.get("lora_name"), body.get("lora_path")
        if not isinstance(name, str) or not name or not isinstance(given, str) or not given:
            raise EngineError("'lora_name' and 'lora_path' are required strings")
        if name == self.served_name:
            raise EngineError(f"'{name}' is the base model's name; choose another adapter name")
        if trusted:
            path = os.path.realpath(given)
            if not os.path.isdir(path):
                raise EngineError(f"adapter directory not found: {given}", "NotFoundError", 404)
        else:
            path = self._adapter_dir(given)
        with self.lock:
            known = self.adapters.get(name)
        if known and known["path"] == path:
            return {"status": "ok", "message": f"LoRA adapter '{name}' is already loaded", "lora_name": name}
        if known:
            raise EngineError(f"an adapter named '{name}' is already loaded from another folder; unload it first")
        try:
            _, weights, scaling = lora.read_peft(path, self.loaded)
        except EngineError as e:
            raise EngineError(self._scrub(str(e), path, given), e.kind, e.status, e.param) from e
        self.scheduler.call("attach", name, weights, scaling)
        with self.lock:
            self.adapters[name] = {"path": path, "created": int(time.time())}
        log.info("loaded adapter %s from %s", name, path)
        return {"status": "ok", "message": f"Success: LoRA adapter '{name}' added successfully.", "lora_name": name}

    def unload_adapter(self, body: dict) -> dict:
        name = body.get("lora_name")
        if not isinstance(name, str) or not name:
            raise EngineError("'lora_name' is a required string")
        with self.lock:
            if name not in self.adapters:
                raise EngineError(f"The lora adapter '{name}' cannot be found.", "NotFoundError", 404)
            del self.adapters[name]
        self.scheduler.call("detach", name)
        log.info("unloaded adapter %s", name)
        return {"status": "ok", "message": f"Success: LoRA adapter '{name}' removed successfully.", "lora_name": name}

    # --- completions ------------------------------------------------------------------------

    def _params(self, body: dict, prompt_len: int) -> tuple[SamplingParams, int]:
        def number(key, default, lo, hi):
            v = body.get(key)
            if v is None:
                return default
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not (lo <= v <= hi):
                raise EngineError(f"'{key}' must be a number in [{lo}, {hi}]", param=key)
            return v
        temperature = float(number("temperature", 1.0, 0.0, 2.0))
        top_p = float(number("top_p", 1.0, 0.0, 1.0))
        if top_p <= 0:
            raise EngineError("'top_p' must be greater than 0", param="top_p")
        n = number("n", 1, 1, 64)
        if int(n) != n:
            raise EngineError("'n' must be an integer", param="n")
        room = self.loaded.max_context - prompt_len
        max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
        if max_tokens is None:
            max_tokens = min(room, DEFAULT_MAX_TOKENS)
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise EngineError("'max_tokens' must be a positive integer", param="max_tokens")
        stop = body.get("stop")
        if stop is None:
            stop = []
        elif isinstance(stop, str):
            stop = [stop]
        if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop):
            raise EngineError("'stop' must be a string or a list of non-empty strings", param="stop")
        seed = body.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise EngineError("'seed' must be an integer", param="seed")
        params = SamplingParams(temperature=temperature, top_p=top_p, max_tokens=min(max_tokens, room),
                                stop=stop, seed=seed, ignore_eos=bool(body.get("ignore_eos", False)))
        return params, int(n)

    def chat(self, body: dict) -> dict:
        if body.get("stream"):
            raise EngineError("'stream': true is not supported by this engine; send stream=false", param="stream")
        model = body.get("model") or self.served_name
        if not isinstance(model, str):
            raise EngineError("'model' must be a string", param="model")
        with self.lock:
            is_adapter = model in self.adapters
        if model != self.served_name and not is_adapter:
            raise EngineError(f"The model `{model}` does not exist.", "NotFoundError", 404)
        try:
            messages = _normalize_messages(body.get("messages"))
        except ValueError as e:
            raise EngineError(f"invalid 'messages': {e}", param="messages") from e
        prompt = self.loaded.tokenizer.encode(self.loaded.render(messages, add_generation_prompt=True))
        if len(prompt) >= self.loaded.max_context:
            raise EngineError(f"prompt is {len(prompt)} tokens; this model's context is "
                              f"{self.loaded.max_context} tokens", param="messages")
        params, n = self._params(body, len(prompt))
        finished = threading.Event()
        remaining = [n]
        lock = threading.Lock()

        def on_finish(_seq):
            with lock:
                remaining[0] -= 1
                if remaining[0] == 0:
                    finished.set()
        seqs = [Sequence(prompt, params, model if is_adapter else None, self.loaded.tokenizer, self.loaded.eos_ids,
                         seed_offset=i, on_finish=on_finish) for i in range(n)]
        self.scheduler.submit(seqs)
        finished.wait()
        for s in seqs:
            if s.error is not None:
                if isinstance(s.error, EngineError):
                    raise s.error
                if _is_oom(s.error):
                    raise EngineError(f"out of memory while generating: {s.error}", "server_error", 503)
                raise EngineError(f"generation failed: {s.error}", "server_error", 500)
        completion = sum(len(s.generated) for s in seqs)
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": model,
            "choices": [{"index": i, "message": {"role": "assistant", "content": s.text},
                         "logprobs": None, "finish_reason": s.finish_reason} for i, s in enumerate(seqs)],
            "usage": {"prompt_tokens": len(prompt), "completion_tokens": completion,
                      "total_tokens": len(prompt) + completion},
        }


_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _is_loopback(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_host(value: str) -> tuple[str, int | None] | None:
    """'name', 'name:port', '[v6]' or '[v6]:port' -> (name, port); None if malformed."""
    try:
        parts = urlsplit("//" + value)
        return (parts.hostname or ""), parts.port
    except ValueError:
        return None


class Access:
    """Who may talk to the server: the Host and Origin it accepts and the bearer token it requires."""

    def __init__(self, token: str | None, bound_host: str = "127.0.0.1"):
        self.token = token.encode("utf-8") if token else None
        self.bound_host = bound_host.lower().strip("[]")
        self.port: int | None = None  # set once listening

    def _host_ok(self, name: str) -> bool:
        if _is_loopback(name):
            return True
        if self.bound_host in ("", "0.0.0.0", "::"):
            # Bound to every interface: any IP literal names this machine; a DNS name could be a
            # rebinding attacker's, so names other than loopback ones are refused.
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return False
        return name == self.bound_host

    def check(self, headers) -> tuple[int, str, str] | None:
        """None if the request may proceed, else (status, error type, message)."""
        host = headers.get("Host")
        parsed = _split_host(host) if host else None
        if not parsed or not self._host_ok(parsed[0].lower()) or (parsed[1] is not None and parsed[1] != self.port):
            return 403, "permission_error", ("the Host header does not name this engine (expected 127.0.0.1, "
                                             "localhost or [::1] with its port)")
        origin = headers.get("Origin")
        if origin is not None:
            o = _split_host(urlsplit(origin).netloc) if origin != "null" else None
            if not o or not _is_loopback(o[0]):
                return 403, "permission_error", "requests from web pages of other origins are refused"
        if self.token is not None:
            auth = headers.get("Authorization") or ""
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8"), self.token):
                return 401, "authentication_error", ("missing or wrong bearer token: send 'Authorization: Bearer "
                                                     "<token>' with the token the engine was started with (an "
                                                     "OpenAI client's api_key)")
        return None


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    m = Message()
    m["Content-Type"] = content_type
    return m.get_content_type() == "application/json"


def _declared_length(headers) -> int:
    """The Content-Length a request announces (0 when absent or not a number: _body says so)."""
    try:
        return int(headers.get("Content-Length") or 0)
    except ValueError:
        return 0


def _make_handler(engine: Engine, access: Access):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "tandem-engine"

        def log_message(self, fmt, *args):
            log.debug("%s %s", self.address_string(), fmt % args)

        def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, message: str, kind: str, param=None, headers: dict | None = None) -> None:
            code = "model_not_found" if status == 404 and "model" in message else None
            self._send(status, {"error": {"message": message, "type": kind, "param": param, "code": code}}, headers)

        def _refuse(self, status: int, kind: str, message: str) -> None:
            # The body was not read: close the connection rather than read what may be a large body.
            self.close_connection = True
            headers = {"Connection": "close"}
            if status == 401:
                headers["WWW-Authenticate"] = 'Bearer realm="tandem-engine"'
            self._error(status, message, kind, None, headers)

        def _allowed(self) -> bool:
            refusal = access.check(self.headers)
            if refusal is None and self.command == "POST" and not _is_json(self.headers.get("Content-Type")):
                refusal = (415, "invalid_request_error", "POST bodies must be sent with 'Content-Type: application/json'")
            if refusal is None and _declared_length(self.headers) > MAX_BODY:
                refusal = (413, "invalid_request_error", f"request body is larger than {MAX_BODY} bytes")
            if refusal is not None:
                self._refuse(*refusal)
                return False
            return True

        def _body(self) -> dict:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError as e:
                raise EngineError("the Content-Length header is not a number") from e
            if length > MAX_BODY:
                raise EngineError(f"request body is larger than {MAX_BODY} bytes")
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw.decode("utf-8") or "null")
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise EngineError(f"request body is not valid JSON: {e}") from e
            if not isinstance(body, dict):
                raise EngineError("request body must be a JSON object")
            return body

        def _dispatch(self, routes: dict) -> None:
            if not self._allowed():
                return
            path = self.path.split("?", 1)[0].rstrip("/") or "/"
            route = routes.get(path)
            try:
                if route is None:
                    # drain the body so the keep-alive connection stays in sync
                    if self.command == "POST":
                        self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    raise EngineError(f"no route {self.command} {path}", "NotFoundError", 404)
                self._send(200, route())
            except EngineError as e:
                self._error(e.status, str(e), e.kind, getattr(e, "param", None))
            except Exception as e:  # noqa: BLE001 - answer, log, keep serving
                # The log has the details; the answer names no local files.
                log.exception("request %s %s failed", self.command, path)
                if _is_oom(e):
                    self._error(503, f"out of memory: {e}", "server_error")
                else:
                    self._error(500, f"internal error ({type(e).__name__}); the engine's log has the details",
                                "server_error")

        def do_GET(self):
            self._dispatch({"/health": lambda: {"status": "ok", "model": engine.served_name},
                            "/v1/models": engine.models})

        def do_POST(self):
            self._dispatch({"/v1/chat/completions": lambda: engine.chat(self._body()),
                            "/v1/load_lora_adapter": lambda: engine.load_adapter(self._body()),
                            "/v1/unload_lora_adapter": lambda: engine.unload_adapter(self._body())})

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # On POSIX, SO_REUSEADDR only lets a restarted engine bind past its predecessor's TIME_WAIT
    # connections; a port with a live listener still fails. On Windows it would allow sharing.
    allow_reuse_address = sys.platform != "win32"
    request_queue_size = 128


def bind(host: str, port: int) -> _Server:
    """Binds before the (slow) model load so a port in use fails fast."""
    try:
        return _Server((host, port), BaseHTTPRequestHandler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise EngineError(f"port {port} on {host} is already in use; pick another with --port "
                              "(or --port 0 for any free port)", "port_in_use") from e
        raise EngineError(f"cannot listen on {host}:{port}: {e}", "listen_error") from e


def serve(server: _Server, engine: Engine, on_ready, access: Access) -> None:
    host, port = server.server_address[:2]
    access.port = port
    server.RequestHandlerClass = _make_handler(engine, access)
    engine.scheduler.start()
    on_ready(host, port)
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        engine.scheduler.stop()
        server.server_close()
