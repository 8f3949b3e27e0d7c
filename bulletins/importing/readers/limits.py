"""Run a reader on a hostile original without letting it hang or exhaust the importer.

Why a separate process: a crafted PDF can loop in C code or allocate without
end, where no Python timeout reaches. The child gets the bytes, an address
space limit (``RLIMIT_AS``), and is killed when the time limit passes; the
importer only ever sees a result or an :class:`~.base.OriginalError`.

The children come from a fork server: starting one costs a fork of a small,
clean process (tens of milliseconds), not a new interpreter, and no lock
held by one of the importer's threads is copied into it.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from typing import Any

from . import base

__all__ = ["DEFAULT_MEMORY_LIMIT", "run_bounded"]

DEFAULT_MEMORY_LIMIT = 2 * 1024 * 1024 * 1024  # bytes of address space for one reading process


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["bulletins.importing.readers.pdf"])
        return context
    return multiprocessing.get_context("spawn")


def _child(conn, func: Callable[..., Any], args: tuple, kwargs: dict, memory_limit: int | None) -> None:
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):  # not on this platform: the time limit still holds
            pass
    try:
        conn.send(("ok", func(*args, **kwargs)))
    except base.OriginalError as exc:
        conn.send(("error", type(exc).__name__, exc.name, exc.detail))
    except MemoryError:
        conn.send(("error", "TooHeavy", args[1] if len(args) > 1 else "", ""))
    except Exception as exc:  # a library's own failure on a damaged file: reported, not shown as a traceback
        conn.send(("error", "CorruptOriginal", args[1] if len(args) > 1 else "", f"无法读取（{type(exc).__name__}）"))
    finally:
        conn.close()


def run_bounded(
    func: Callable[..., Any],
    *args: Any,
    name: str,
    time_limit: float | None,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    **kwargs: Any,
) -> Any:
    """``func(*args, **kwargs)`` in a child process, at most ``time_limit`` seconds; None runs it here.

    ``func`` must be a module-level function (the child imports it by name).
    """
    if time_limit is None:
        return func(*args, **kwargs)
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args, kwargs, memory_limit), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(time_limit):
            raise base.TooSlow(name, f"读取超过时间上限（{time_limit:g} 秒），已停止")
        try:
            message = receiver.recv()
        except EOFError:
            message = None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if message is None:
        raise base.CorruptOriginal(name, "读取进程异常退出（文件可能已损坏或过于复杂）")
    if message[0] == "ok":
        return message[1]
    _, kind, _, detail = message
    raise getattr(base, kind)(name, detail)
