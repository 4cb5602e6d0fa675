# Flowbench's Python worker: runs Dify's sandboxed languages (python3 code nodes, Jinja2
# templates, JSON-schema checks) for engine/runtime/pythonworker.cpp, which starts it as
# `python3 -I -B -c <this file>` in a fresh temporary directory with resource limits already set
# (address space, CPU backstop, open files, RLIMIT_FSIZE 0 so no file can grow).
#
# Protocol: JSON lines. The worker first writes {"ready": true, "pid": N, "executable": "..."}.
# Then, for each request line {"id", "method", "params", "timeout_ms"} it writes exactly one
# response line: {"id", "result": {...}} or {"id", "error": {"code", "type", "message", "line"}}.
# Error codes: "python.error" (the user's code or template failed), "python.unavailable" (a
# module such as jinja2 is not installed).
#
# The protocol uses private duplicates of stdin/stdout; fds 0 and 1 are pointed at /dev/null so
# that print() or os.write(1, ...) in user code cannot corrupt the protocol.

import builtins
import json
import linecache
import os
import resource
import signal
import socket
import sys
import traceback

MAX_RESPONSE_BYTES = 10 * 1024 * 1024
NETWORK_MESSAGE = "network access is not allowed in code nodes"
WRITE_MESSAGE = "writing files is not allowed in code nodes"
FILESYSTEM_MESSAGE = "changing files or directories is not allowed in code nodes"
PROCESS_MESSAGE = "starting programs is not allowed in code nodes"
NATIVE_MESSAGE = "loading native libraries is not allowed in code nodes"
CODE_FILE = "<code>"
TEMPLATE_FILE = "<template>"
CPU_RECYCLE_MARGIN = 120  # seconds: exit (and be restarted) when this close to the hard limit


class Failure(Exception):
    def __init__(self, code, message, type_name=None, line=None):
        super().__init__(message)
        self.payload = {"code": code, "message": message}
        if type_name:
            self.payload["type"] = type_name
        if line:
            self.payload["line"] = line


# ---- sandbox ------------------------------------------------------------------------------

# Checks that apply while user code or a user template runs. Imports done by the worker itself
# (jinja2, jsonschema) happen outside, so they are never blocked.
_guard = [False]
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_ALWAYS_BLOCKED = {
    "socket.__new__": NETWORK_MESSAGE,
    "socket.connect": NETWORK_MESSAGE,
    "socket.bind": NETWORK_MESSAGE,
    "socket.sendto": NETWORK_MESSAGE,
    "socket.getaddrinfo": NETWORK_MESSAGE,
    "socket.gethostbyname": NETWORK_MESSAGE,
    "socket.gethostbyaddr": NETWORK_MESSAGE,
    "socket.getnameinfo": NETWORK_MESSAGE,
}
_GUARDED = {
    "os.remove": FILESYSTEM_MESSAGE,
    "os.rename": FILESYSTEM_MESSAGE,
    "os.rmdir": FILESYSTEM_MESSAGE,
    "os.mkdir": FILESYSTEM_MESSAGE,
    "os.chmod": FILESYSTEM_MESSAGE,
    "os.chown": FILESYSTEM_MESSAGE,
    "os.truncate": FILESYSTEM_MESSAGE,
    "os.link": FILESYSTEM_MESSAGE,
    "os.symlink": FILESYSTEM_MESSAGE,
    "os.utime": FILESYSTEM_MESSAGE,
    "shutil.rmtree": FILESYSTEM_MESSAGE,
    "subprocess.Popen": PROCESS_MESSAGE,
    "os.system": PROCESS_MESSAGE,
    "os.exec": PROCESS_MESSAGE,
    "os.posix_spawn": PROCESS_MESSAGE,
    "os.spawn": PROCESS_MESSAGE,
    "os.fork": PROCESS_MESSAGE,
    "os.forkpty": PROCESS_MESSAGE,
    "os.startfile": PROCESS_MESSAGE,
    "ctypes.dlopen": NATIVE_MESSAGE,
}


def _audit(event, args):
    message = _ALWAYS_BLOCKED.get(event)
    if message:
        raise PermissionError(message)
    if not _guard[0]:
        return
    if event == "open":
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 else 0
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        ):
            raise PermissionError(WRITE_MESSAGE)
        return
    message = _GUARDED.get(event)
    if message:
        raise PermissionError(message)


class _NoNetworkSocket(socket.socket):
    # A subclass rather than a plain function, so `class SSLSocket(socket.socket)` and
    # isinstance checks in modules imported later keep working; only creating one fails.
    def __init__(self, *args, **kwargs):
        raise PermissionError(NETWORK_MESSAGE)


def _no_network(*args, **kwargs):
    raise PermissionError(NETWORK_MESSAGE)


def _install_sandbox():
    socket.socket = _NoNetworkSocket
    socket.SocketType = _NoNetworkSocket
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                 "create_connection", "create_server", "socketpair", "fromfd"):
        if hasattr(socket, name):
            setattr(socket, name, _no_network)
    # RLIMIT_FSIZE is 0: without this a write to a file would kill the worker with SIGXFSZ
    # instead of raising OSError(EFBIG) in the user's code.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sys.addaudithook(_audit)


class _Guarded:
    def __enter__(self):
        _guard[0] = True

    def __exit__(self, *exc):
        _guard[0] = False
        return False


def _set_cpu_budget(timeout_ms):
    # RLIMIT_CPU counts the worker's whole life, so the soft limit is moved forward per request:
    # a runaway that escapes the parent's wall-clock timer still dies soon after its budget.
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = usage.ru_utime + usage.ru_stime
        budget = int(used) + max(1, int(timeout_ms / 1000)) + 10
        if hard != resource.RLIM_INFINITY and budget > hard:
            budget = hard
        resource.setrlimit(resource.RLIMIT_CPU, (budget, hard))
    except (ValueError, OSError, TypeError):
        pass


def _cpu_nearly_spent():
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY:
            return False
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime > hard - CPU_RECYCLE_MARGIN
    except (ValueError, OSError):
        return False


# ---- errors -------------------------------------------------------------------------------


def _user_error(exc, filename):
    """A python.error Failure that reads like Python's own report, limited to the user's frames."""
    type_name = type(exc).__name__
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    only = traceback.format_exception_only(type(exc), exc)
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
        text = "".join(only).rstrip("\n")
    else:
        if frames:
            line = frames[-1].lineno
        last = only[-1].rstrip("\n") if only else type_name
        if frames:
            text = ("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
                    + last)
        else:
            text = last
    return Failure("python.error", text, type_name, line)


# ---- methods ------------------------------------------------------------------------------


def run_python(params):
    code = params.get("code")
    inputs = params.get("inputs") or {}
    if not isinstance(code, str):
        raise Failure("python.error", "the code is missing")
    if not isinstance(inputs, dict):
        raise Failure("python.error", "the inputs must be an object")
    # Tracebacks show the user's source lines.
    linecache.cache[CODE_FILE] = (len(code), None, code.splitlines(True), CODE_FILE)
    # Dify runs each code node in a fresh interpreter whose script is the user's code; a fresh
    # namespace (and a private copy of the builtins) is the closest a long-lived worker gets.
    namespace = {"__name__": "__main__", "__builtins__": dict(builtins.__dict__)}
    try:
        with _Guarded():
            compiled = compile(code, CODE_FILE, "exec")
            exec(compiled, namespace)
            function = namespace.get("main")
            if not callable(function):
                raise NameError("name 'main' is not defined")
            output = function(**inputs)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt from user code too
        raise _user_error(exc, CODE_FILE) from None
    finally:
        namespace.clear()
    if not isinstance(output, dict):
        raise Failure("python.error", "Result must be a dict, got %s" % type(output).__name__)
    return {"result": output}


_jinja_env = None
_jinja_cache = {}


def _jinja():
    global _jinja_env
    if _jinja_env is None:
        try:
            import jinja2
        except ImportError as exc:
            raise Failure("python.unavailable",
                          "Jinja2 is not available to %s (%s). Install python3-jinja2 "
                          "(scripts/install-deps does)." % (sys.executable, exc)) from None
        # jinja2.Template(source), as Dify's sandbox uses it: default Undefined (a missing name
        # renders as ""), no autoescape, default whitespace handling.
        _jinja_env = jinja2.Environment(undefined=jinja2.Undefined, autoescape=False)
    return _jinja_env


def _template_line(exc):
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == TEMPLATE_FILE:
            return frame.lineno
    return None


def run_jinja2(params):
    source = params.get("template")
    inputs = params.get("inputs") or {}
    if not isinstance(source, str):
        raise Failure("python.error", "the template is missing")
    if not isinstance(inputs, dict):
        raise Failure("python.error", "the inputs must be an object")
    env = _jinja()
    import jinja2

    try:
        template = _jinja_cache.get(source)
        if template is None:
            with _Guarded():
                template = env.from_string(source)
            if len(_jinja_cache) >= 64:
                _jinja_cache.clear()
            _jinja_cache[source] = template
        with _Guarded():
            text = template.render(**inputs)
    except BaseException as exc:
        line = _template_line(exc)
        if isinstance(exc, jinja2.TemplateSyntaxError):
            message = "%s: %s" % (type(exc).__name__, exc.message)
        else:
            message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if line:
            message += " (line %d)" % line
        raise Failure("python.error", message, type(exc).__name__, line) from None
    return {"result": text}


def run_jsonschema(params):
    try:
        import jsonschema
        from jsonschema.exceptions import best_match
    except ImportError as exc:
        raise Failure("python.unavailable",
                      "jsonschema is not available to %s (%s). Install python3-jsonschema "
                      "(scripts/install-deps does)." % (sys.executable, exc)) from None
    schema = params.get("schema")
    instance = params.get("instance")
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise Failure("python.error", "invalid JSON schema: %s" % exc.message,
                      "SchemaError") from None
    try:
        with _Guarded():
            error = best_match(jsonschema.Draft7Validator(schema).iter_errors(instance))
    except Exception as exc:
        raise Failure("python.error", "%s: %s" % (type(exc).__name__, exc),
                      type(exc).__name__) from None
    return {"valid": error is None, "error": None if error is None else error.message}


METHODS = {"python3": run_python, "jinja2": run_jinja2, "jsonschema": run_jsonschema,
           "ping": lambda params: {}}


# ---- loop ---------------------------------------------------------------------------------


def _encode(response):
    line = json.dumps(response, ensure_ascii=False, allow_nan=False)
    # Lone surrogates (possible in Python strings) are not valid UTF-8.
    return line.encode("utf-8", "replace") + b"\n"


def _respond(out, request_id, response):
    try:
        data = _encode(response)
    except (TypeError, ValueError, RecursionError) as exc:
        data = _encode({"id": request_id, "error": {
            "code": "python.error", "type": type(exc).__name__,
            "message": "the result cannot be converted to JSON: %s" % exc}})
    if len(data) > MAX_RESPONSE_BYTES:
        data = _encode({"id": request_id, "error": {
            "code": "python.error", "type": "OutputTooLarge",
            "message": "the result is too large (%.1f MB; the limit is %d MB)"
                       % (len(data) / 1048576.0, MAX_RESPONSE_BYTES // 1048576)}})
    out.write(data)
    out.flush()


def main():
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    _install_sandbox()
    _respond(proto_out, None, {"ready": True, "pid": os.getpid(), "executable": sys.executable})
    for raw in proto_in:
        try:
            request = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(request, dict):
            continue
        request_id = request.get("id")
        method = METHODS.get(request.get("method"))
        params = request.get("params")
        if not isinstance(params, dict):
            params = {}
        timeout_ms = request.get("timeout_ms")
        _set_cpu_budget(timeout_ms if isinstance(timeout_ms, (int, float)) else 60000)
        try:
            if method is None:
                raise Failure("python.error", "unknown method %r" % request.get("method"))
            response = {"id": request_id, "result": method(params)}
        except Failure as failure:
            response = {"id": request_id, "error": failure.payload}
        except BaseException as exc:  # a bug here, not in user code: report, keep serving
            response = {"id": request_id, "error": {
                "code": "python.error", "type": type(exc).__name__,
                "message": "".join(traceback.format_exception_only(type(exc), exc)).strip()}}
        _respond(proto_out, request_id, response)
        if _cpu_nearly_spent():
            return


if __name__ == "__main__":
    main()
