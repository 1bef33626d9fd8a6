"""Output folders that are never half-written, never written by two runs at once, and never
overwrite a file the user made: the one way every command writes its files (architecture.md §4).

    with OutputFolder(out, ["summary.json", "weekly.csv", "customers.csv"]) as folder:
        result = simulate(...)                              # the long part, folder locked
        folder.path("weekly.csv").write_text(...)           # written into a staging folder
    # here, and only here, the three files are moved into ``out`` (``os.replace``)

* **All or nothing.** Every file is written into a staging folder inside ``out``
  (``.retention-lab-partial-<pid>-…``, on the same disk); only when the ``with`` block ends
  without an error are the files moved into place, one ``os.replace`` each. An error or Ctrl-C
  in the middle leaves ``out`` as it was (a folder this run created is removed again).
* **One writer.** ``out/.retention-lab.lock`` is created with ``O_EXCL`` and holds the writer's
  process id; a second run into the same folder is refused (:class:`FolderBusy`) until the first
  is done. The lock of a process that no longer exists (killed) is taken over.
* **Nothing of the user's is overwritten.** ``out/.retention-lab.json`` (the manifest) lists each
  file this project wrote with its sha256. A file of the same name that is not in the manifest,
  or whose content changed since, is the user's: refused (:class:`NotOurs`), before any work.

:func:`write_atomic` writes one file the same way (a temporary file beside it, then
``os.replace``); :class:`Manifest` is the record of what was written, for writers that keep
their own files (``exercises.blanks``).

Lowest layer (with ``messages``): it knows files, not scenarios; its errors are catalog texts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from simulation.messages import t

MANIFEST = ".retention-lab.json"
LOCK = ".retention-lab.lock"
PARTIAL = ".retention-lab-partial-"
FRESH_LOCK_SECONDS = 10.0  # a lock file still empty this long after it was made is left over


class OutputFolderError(Exception):
    """A folder cannot be written; the message says which file or folder and what to do."""


class FolderBusy(OutputFolderError):
    """Another run is writing the folder."""


class NotOurs(OutputFolderError):
    """A file of the same name is the user's (not written by this project, or changed since)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: str | Path, data: str | bytes, *, replace: bool = True) -> Path:
    """Write ``data`` to ``path`` through a temporary file beside it, moved into place at once:
    a reader sees the old file or the new one, never a part. With ``replace=False`` an existing
    file is never replaced (FileExistsError), not even by a writer racing this one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _place_new(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def _place_new(tmp: str, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if ``path`` does not exist (atomically where links work)."""
    try:
        os.link(tmp, path)  # fails with FileExistsError if path exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: claim the name, then fill it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        os.replace(tmp, path)


# --- the manifest: what this project wrote ------------------------------------------------------


class Manifest:
    """``<folder>/.retention-lab.json``: the files this project wrote there and their sha256."""

    def __init__(self, folder: str | Path, name: str = MANIFEST):
        self.folder = Path(folder)
        self.path = self.folder / name
        self.files: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            files = data.get("files", {}) if isinstance(data, dict) else {}
            self.files = {str(k): str(v.get("sha256", "")) for k, v in files.items() if isinstance(v, dict)}
        except (OSError, ValueError, AttributeError):
            self.files = {}  # no manifest (or not ours to read): every existing file is the user's

    def owns(self, name: str) -> bool:
        """True if ``name`` is missing (free to write) or is exactly what this project wrote."""
        path = self.folder / name
        if not path.exists():
            return True
        if not path.is_file() or name not in self.files:
            return False
        try:
            return sha256(path) == self.files[name]
        except OSError:
            return False

    def record(self, name: str, sha: str) -> None:
        self.files[name] = sha

    def save(self) -> None:
        data = {
            "written_by": "retention-lab",
            "about": "files written by retention-lab (name: sha256); any other file here is yours",
            "files": {k: {"sha256": v} for k, v in sorted(self.files.items())},
        }
        write_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --- the lock: one writer at a time -------------------------------------------------------------


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - os.kill would end the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _holder(lock: Path) -> tuple[int | None, str]:
    """The process id and host written in a lock file (None if it cannot be read yet)."""
    try:
        text = lock.read_text(encoding="utf-8").split()
        return int(text[0]), (text[1] if len(text) > 1 else "")
    except (OSError, ValueError, IndexError):
        return None, ""


def _stale(lock: Path) -> bool:
    pid, host = _holder(lock)
    if pid is None:  # being written this instant, or left empty by a crash long ago
        try:
            return time.time() - lock.stat().st_mtime > FRESH_LOCK_SECONDS
        except FileNotFoundError:
            return True
    if host and host != socket.gethostname():
        return False  # a process on another machine (a shared drive): cannot tell, so not stale
    return not _alive(pid)


def acquire(folder: Path) -> Path:
    """Create ``folder/.retention-lab.lock`` holding this process's id, or raise FolderBusy.
    A lock left by a process that no longer exists is taken over."""
    lock = folder / LOCK
    for _ in range(5):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if not _stale(lock):
                pid, _host = _holder(lock)
                raise FolderBusy(
                    t("files.busy", folder=str(folder), pid=pid if pid is not None else "?", lock=str(lock))
                ) from None
            # take the stale lock over: move it aside (only one taker succeeds), check it is the
            # stale one we saw, then try again to create ours
            aside = lock.with_name(f"{LOCK}.stale-{os.getpid()}")
            try:
                os.replace(lock, aside)
            except FileNotFoundError:
                continue
            if not _stale(aside):  # a live writer took it over in between: give it back
                with contextlib.suppress(OSError):
                    os.link(aside, lock)
                with contextlib.suppress(OSError):
                    os.unlink(aside)
                continue
            with contextlib.suppress(OSError):
                os.unlink(aside)
            _remove_partials(folder)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {socket.gethostname()}\n")
        return lock
    raise FolderBusy(t("files.busy", folder=str(folder), pid="?", lock=str(lock)))


def release(lock: Path) -> None:
    pid, _ = _holder(lock)
    if pid == os.getpid():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)


def _remove_partials(folder: Path) -> None:
    """Staging folders left by writers that were killed (whose process no longer exists)."""
    for partial in folder.glob(PARTIAL + "*"):
        try:
            pid = int(partial.name[len(PARTIAL) :].split("-", 1)[0])
        except ValueError:
            continue
        if not _alive(pid):
            shutil.rmtree(partial, ignore_errors=True)


# --- the output folder --------------------------------------------------------------------------


class OutputFolder:
    """Write the files ``names`` into ``folder`` all at once, or not at all (see the module)."""

    def __init__(self, folder: str | Path, names: Iterable[str]):
        self.folder = Path(folder)
        self.names = list(dict.fromkeys(names))
        self.staging: Path | None = None
        self._lock: Path | None = None
        self._created: list[Path] = []  # the folders this run made, deepest first

    def check(self) -> None:
        """Refuse now if the folder is a file or holds a file of ours that is the user's."""
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputFolderError(t("files.not_a_folder", folder=str(self.folder)))
        manifest = Manifest(self.folder)
        for name in self.names:
            if not manifest.owns(name):
                raise NotOurs(t("files.not_ours", file=str(self.folder / name), folder=str(self.folder)))

    def __enter__(self) -> OutputFolder:
        self.check()
        self._created = [p for p in [self.folder, *self.folder.parents] if not p.exists()]
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._lock = acquire(self.folder)
            self.check()  # again, now that no other run of ours can write here
            self.staging = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{os.getpid()}-", dir=self.folder))
        except BaseException:
            self._clean_up()
            raise
        return self

    def path(self, name: str) -> Path:
        """Where to write ``name`` (in the staging folder; it moves into place at the end)."""
        if self.staging is None:
            raise RuntimeError("OutputFolder.path() outside its with block")
        if name not in self.names:
            raise ValueError(f"{name} is not one of the files declared: {', '.join(self.names)}")
        return self.staging / name

    def __exit__(self, kind, error, trace) -> bool:
        try:
            if kind is None:
                self._commit()
        finally:
            self._clean_up()
        return False

    def _commit(self) -> None:
        assert self.staging is not None
        missing = [name for name in self.names if not (self.staging / name).is_file()]
        if missing:
            raise RuntimeError(f"not written: {', '.join(missing)}")
        self.check()  # a file the user put there while we ran is still theirs
        manifest = Manifest(self.folder)
        shas = {name: sha256(self.staging / name) for name in self.names}
        for name in self.names:
            os.replace(self.staging / name, self.folder / name)
            manifest.record(name, shas[name])
        manifest.save()

    def _clean_up(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock is not None:
            release(self._lock)
            self._lock = None
        for made in self._created:  # folders this run made and did not fill go again
            try:
                made.rmdir()
            except OSError:
                break
        self._created = []
