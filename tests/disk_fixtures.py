"""PYTEST_DONT_REWRITE. A real small disk for the full-disk tests (issue 25 §1): a 1 MB tmpfs mounted under the
test's temporary directory (the suite runs as root), filled with a file to the free room a test asks for, and
unmounted afterwards. Load with `pytest_plugins = ["disk_fixtures"]`."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = "1M"
CHUNK = 4096


class TinyDisk:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler"

    def free_bytes(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize

    def fill(self) -> None:
        """No room left at all."""
        with open(self.filler, "ab", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * CHUNK)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise

    def fill_to(self, free: int) -> None:
        """Leave ``free`` bytes (to a 4 kB page) for everything else."""
        self.free()
        grow = self.free_bytes() - free
        if grow > 0:
            with open(self.filler, "wb") as handle:
                handle.write(b"\0" * grow)

    def free(self) -> None:
        """Room back: the filler goes."""
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def tiny_disk(tmp_path) -> Iterator[TinyDisk]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"a tmpfs could not be mounted (the full-disk tests need root): {done.stderr.strip()}")
    try:
        yield TinyDisk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
