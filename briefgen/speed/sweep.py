"""The last build's site deleted alongside the build, not before it.

A clean build starts with MkDocs deleting what the site folder holds (but its hidden entries):
the 11,203 files of a 10,000-entity site took 2.2 s, while the second core waited. ``Sweep``
moves those entries into one hidden folder of the site folder (a rename each), which MkDocs's
cleaning then leaves alone, and a process of low priority deletes it while the build goes on; the
build waits for it at its end. A folder that a build stopped midway left behind goes with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

__all__ = ["Sweep"]

_PREFIX = ".briefgen-old-"
# The deleting process: no site packages to import, a low priority, and the folders it is given.
_DELETE = ("import os, shutil, sys\ntry:\n    os.nice(10)\nexcept OSError:\n    pass\n"
           "for folder in sys.argv[1:]:\n    shutil.rmtree(folder, ignore_errors=True)\n")


class Sweep:
    """What a clean build deletes of the site folder, deleted by another process meanwhile."""

    def __init__(self) -> None:
        self.folders: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, site_dir: str) -> None:
        """The entries of ``site_dir`` that MkDocs's cleaning deletes (neither hidden nor a symbolic
        link, which it leaves) moved into a hidden folder, and their deletion started. An entry
        that cannot be moved stays, for MkDocs to delete."""
        self.finish()
        try:
            names = os.listdir(site_dir)
        except OSError:
            return  # no site yet
        stale = [os.path.join(site_dir, n) for n in names if n.startswith(_PREFIX)]
        names = [n for n in names if not n.startswith(".") and not os.path.islink(os.path.join(site_dir, n))]
        if not names and not stale:
            return
        try:
            old = tempfile.mkdtemp(prefix=_PREFIX, dir=site_dir)
        except OSError:
            return
        for name in names:
            try:
                os.rename(os.path.join(site_dir, name), os.path.join(old, name))
            except OSError:
                continue
        self.folders = [old, *stale]
        try:
            # its own session: an interrupted build does not interrupt the deletion
            self.process = subprocess.Popen([sys.executable, "-I", "-S", "-c", _DELETE, *self.folders],
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            self.process = None  # deleted at the end, then

    def finish(self) -> None:
        """Wait for the deletion to end; whatever it left is deleted now."""
        if self.process is not None:
            self.process.wait()
            self.process = None
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)
        self.folders = []
