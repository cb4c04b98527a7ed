"""Limits on the size of data files, so that a huge or hostile file is refused with a clear
message instead of running for minutes or exhausting the computer's memory.

CSV: the file size times :data:`CSV_MEMORY_FACTOR` (memory a full run needs per byte of CSV,
measured with the shipped rule file: reading takes about 18 of it, scoring the rest) must fit
in the memory available now:
``MemAvailable`` in ``/proc/meminfo`` (or a smaller cgroup limit) on Linux, ``ullAvailPhys``
from ``GlobalMemoryStatusEx`` on Windows; elsewhere, or if neither can be read, a fixed cap of
:data:`FALLBACK_CSV_BYTES`.

Workbooks (.xlsx): the unzipped size of the whole archive, the sheet's rows, the columns the
header spans and the cells read are each capped (see :mod:`scoring.io.xlsxread`).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputFileError, Problem
from ..messages import tr

CSV_MEMORY_FACTOR = 100  # bytes of memory a full run needs per byte of CSV (measured 94-97 with 10,000-100,000 units)
FALLBACK_CSV_BYTES = 100 * 1024 * 1024  # when the available memory cannot be read
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a workbook's archive, all parts unzipped
MAX_SHEET_ROWS = 1_048_576  # Excel's last row: a row number beyond it is not a real sheet
MAX_SHEET_COLUMNS = 1_000  # how far to the right the header row may name a column
MAX_SHEET_CELLS = 20_000_000  # data rows x columns read (about 1,048,576 rows x 19 columns)
EXCEL_MAX_COLUMNS = 16_384  # column XFD


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def available_memory() -> int | None:
    """Bytes of memory available to this process now, or None when it cannot be read."""
    if sys.platform.startswith("linux"):
        return _linux_available()
    if sys.platform == "win32":
        return _windows_available()
    return None


def _linux_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            fields = dict(line.split(":", 1) for line in meminfo if ":" in line)
        available = int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError, IndexError):
        return None
    cgroup = _cgroup_room()
    return min(available, cgroup) if cgroup is not None else available


def _cgroup_room() -> int | None:
    """Limit minus usage of this process's memory cgroup (v2, then v1), if it has a limit."""
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            limit = Path(limit_file).read_text(encoding="ascii").strip()
            usage = int(Path(usage_file).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < 1 << 60:  # "max" or a huge number: no limit
            return max(int(limit) - usage, 0)
    return None


def _windows_available() -> int | None:
    try:
        import ctypes

        class MemoryStatus(ctypes.Structure):
            _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                        ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                        ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                        ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                        ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]

        status = MemoryStatus()
        status.dwLength = ctypes.sizeof(MemoryStatus)
        if not ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
            return None
        return int(status.ullAvailPhys)
    except Exception:  # noqa: BLE001 - any failure: fall back to the fixed cap
        return None


def check_csv_size(size: int, shown: str) -> None:
    """Refuse a CSV file of ``size`` bytes that a run could not hold in the memory available."""
    available = available_memory()
    if available is None:
        if size <= FALLBACK_CSV_BYTES:
            return
        limit, why = FALLBACK_CSV_BYTES, tr("the fixed limit (the available memory cannot be read on this system)")
    else:
        if size * CSV_MEMORY_FACTOR <= available:
            return
        limit = available // CSV_MEMORY_FACTOR
        why = tr("{size} of memory available now; a run needs about {factor} times the file size",
                 size=megabytes(available), factor=CSV_MEMORY_FACTOR)
    raise InputFileError(tr("Data file is too large to read with the memory available: {path}", path=shown),
                         [Problem(tr("file too large"), file=shown, found=megabytes(size),
                                  expected=tr("at most {size} ({why}); close other programs, or run on a computer "
                                              "with more memory", size=megabytes(limit), why=why))])
