"""Writing output files safely: write to a temporary file beside the target, then rename."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from .errors import InputFileError, Problem


def write_atomic(path: str | Path, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``content`` to ``path`` so that a failure never leaves a half-written file."""
    data = content.encode(encoding) if isinstance(content, str) else content
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: str | Path, writer: Callable) -> None:
    """Call ``writer(binary_file)`` on a temporary file, then move it over ``path``."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputFileError(f"Cannot write {target}: directory does not exist",
                             [Problem("no such directory", file=str(directory))])
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.replace(temp_name, target)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
