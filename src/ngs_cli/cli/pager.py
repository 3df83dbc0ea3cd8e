"""Long views on a terminal go through a pager, the way git and gh do: ``$NGS_PAGER``,
else ``$PAGER``, else ``less -FRX``; never in a pipe."""

from typing import Any

from .env import Environment


def write_paged(env: Environment, text: str, *, page: bool, stream: Any = None) -> None:
    """Write text, through a pager when it is a long view on a terminal taller than the screen."""
    out = stream if stream is not None else env.stdout
    if page and stream is None and env.is_terminal and text.count("\n") >= env.height:
        pager = _pager_command(env)
        if pager and _run_pager(pager, text, env):
            return
    out.write(text)


def _pager_command(env: Environment) -> list[str] | None:
    """$NGS_PAGER, else $PAGER, else less -FRX; an empty value turns paging off."""
    import shlex

    for name in ("NGS_PAGER", "PAGER"):
        if name in env.environ:
            value = env.environ[name].strip()
            if not value:
                return None
            try:
                return shlex.split(value)
            except ValueError:
                return None
    return ["less", "-FRX"]


def _run_pager(command: list[str], text: str, env: Environment) -> bool:
    """Page ``text``; False when the pager cannot be started (then ngs just prints)."""
    import subprocess

    environ = {**env.environ, "LESS": env.environ.get("LESS", "FRX")}
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=environ)
    except OSError:
        return False
    try:
        assert proc.stdin is not None
        proc.stdin.write(text.encode(env.encoding or "utf-8", "backslashreplace"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager while it runs
    return True
