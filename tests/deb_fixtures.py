"""The Debian package, built once per test run by scripts/build_deb.sh and shared by the packaging tests
(tests/test_packaging_deb.py, tests/test_apt_repo.py), across xdist workers too: the build takes 10-30 s."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
needs_debhelper = pytest.mark.skipif(
    shutil.which("dh") is None or shutil.which("dpkg-deb") is None,
    reason="debhelper and dpkg-dev are not installed (make setup)",
)


def _run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of this run that every xdist worker sees (their base temps share a parent; its name is the
    run's, so an earlier run's package is never reused)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    base = tmp_path_factory.getbasetemp()
    return base.parent / f"deb-{run}" if run else base / "deb"


def build_deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = _run_dir(tmp_path_factory)
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker builds, the others wait for its package
        built = list((work / "dist").glob("sifee-kiosk_*_amd64.deb"))
        if built:
            return built[0]
        # The wheel cache in build/ is shared: offline after the first build.
        env = {**os.environ, "DIST_DIR": str(work / "dist"), "BUILD_DIR": str(work / "build")}
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "build_deb.sh")],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        shutil.rmtree(work / "build", ignore_errors=True)  # the staged tree: another 260 MB
        (package,) = (work / "dist").glob("sifee-kiosk_*_amd64.deb")
        return package


@pytest.fixture(scope="session")
def deb(tmp_path_factory) -> Path:
    return build_deb(tmp_path_factory)
