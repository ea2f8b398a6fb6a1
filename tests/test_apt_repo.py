"""The bureau's signed apt repository (docs/packaging.md), on loopback: a throwaway GnuPG key signs a reprepro
repository holding the kiosk's package, `python3 -m http.server` serves it, and apt-get — in a throwaway state
directory, trusting only that key through Signed-By — downloads the package with the signature checked. The same
repository signed by another key is refused."""

# ruff: noqa: F811 (the deb fixture imported from deb_fixtures)
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deb_fixtures import deb, needs_debhelper  # noqa: F401 (fixture)

pytestmark = [
    needs_debhelper,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("reprepro", "gpg", "apt-get")),
        reason="reprepro, gpg and apt-get are needed (make setup)",
    ),
]
CODENAME = "bookworm"


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def new_key(home: Path, who: str) -> tuple[dict, str]:
    """A passphrase-less Ed25519 signing key in its own GNUPGHOME: (environment, fingerprint)."""
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    made = run("gpg", "--batch", "--passphrase", "", "--quick-gen-key", who, "ed25519", "sign", "never", env=env)
    assert made.returncode == 0, made.stderr
    listing = run("gpg", "--batch", "--with-colons", "--list-secret-keys", env=env).stdout
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    return env, fingerprint


def export_key(env: dict, fingerprint: str, keyring: Path) -> None:
    """The public key as a binary keyring, the form apt's Signed-By takes."""
    exported = run("gpg", "--batch", "--yes", "--output", str(keyring), "--export", fingerprint, env=env)
    assert exported.returncode == 0 and keyring.stat().st_size > 0, exported.stderr


def signed_repository(base: Path, deb: Path, env: dict, fingerprint: str) -> None:
    (base / "conf").mkdir(parents=True)
    (base / "conf" / "distributions").write_text(
        f"Origin: Bureau\nLabel: sifee-kiosk\nCodename: {CODENAME}\nArchitectures: amd64\nComponents: main\n"
        f"Description: The bureau's kiosk packages\nSignWith: {fingerprint}\n"
    )
    added = run("reprepro", "--basedir", str(base), "includedeb", CODENAME, str(deb), env=env)
    assert added.returncode == 0, added.stdout + added.stderr


@pytest.fixture
def served(tmp_path):
    """http.server on a loopback port over a directory; yields (directory, base URL)."""
    public = tmp_path / "public"
    public.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(public)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = server.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        port = int(line.split(" port ")[1].split()[0])
        yield public, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(public, ignore_errors=True)  # a copy of the 260 MB package in the pool


class Apt:
    """apt-get on its own lists, cache and sources (nothing of the machine's apt state is read or written)."""

    def __init__(self, root: Path, url: str, keyring: Path) -> None:
        self.root = root
        for folder in ("state/lists/partial", "cache/archives/partial", "sources", "trusted", "download"):
            (root / folder).mkdir(parents=True)
        (root / "status").write_text("")
        (root / "sources.list").write_text("")
        (root / "sources" / "bureau.sources").write_text(
            f"Types: deb\nURIs: {url}\nSuites: {CODENAME}\nComponents: main\nSigned-By: {keyring}\n"
        )

    def __call__(self, *args: str, tool: str = "apt-get") -> subprocess.CompletedProcess:
        options = {
            "Dir::State": self.root / "state",
            "Dir::State::status": self.root / "status",
            "Dir::Cache": self.root / "cache",
            "Dir::Etc::SourceList": self.root / "sources.list",
            "Dir::Etc::SourceParts": self.root / "sources",
            "Dir::Etc::TrustedParts": self.root / "trusted",  # empty: only Signed-By is trusted
            "Dir::Etc::Trusted": self.root / "trusted" / "none.gpg",
            "APT::Sandbox::User": "root",  # the throwaway directories are root's
            "Acquire::Languages": "none",
            "Debug::NoLocking": "1",
        }
        flags = [f"-o{name}={value}" for name, value in options.items()]
        return run(tool, "-q", *flags, *args, cwd=self.root / "download")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def test_apt_downloads_the_kiosk_from_a_signed_repository_on_loopback(deb, served, tmp_path):
    public, url = served
    env, fingerprint = new_key(tmp_path / "gnupg", "Bureau kiosk archive <apt@example.invalid>")
    signed_repository(public, deb, env, fingerprint)
    release = public / "dists" / CODENAME
    assert (release / "InRelease").exists() and (release / "Release.gpg").exists()
    keyring = tmp_path / "bureau-archive.gpg"  # what a hall puts in /etc/apt/keyrings/
    export_key(env, fingerprint, keyring)

    apt = Apt(tmp_path / "apt", url, keyring)
    updated = apt("update")
    assert updated.returncode == 0 and "W:" not in updated.stdout + updated.stderr, updated.stdout + updated.stderr
    version = subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], capture_output=True, text=True).stdout.strip()
    policy = apt("policy", "sifee-kiosk", tool="apt-cache").stdout
    assert f"Candidate: {version}" in policy and url in policy
    fetched = apt("download", "sifee-kiosk")
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    (downloaded,) = (tmp_path / "apt" / "download").glob("sifee-kiosk_*_amd64.deb")
    assert sha256(downloaded) == sha256(deb)
    downloaded.unlink()


def test_apt_refuses_the_repository_signed_by_another_key(deb, served, tmp_path):
    public, url = served
    env, fingerprint = new_key(tmp_path / "gnupg", "Bureau kiosk archive <apt@example.invalid>")
    signed_repository(public, deb, env, fingerprint)
    other_env, other = new_key(tmp_path / "other", "Somebody else <else@example.invalid>")
    keyring = tmp_path / "other.gpg"
    export_key(other_env, other, keyring)

    apt = Apt(tmp_path / "apt", url, keyring)
    updated = apt("update")
    assert updated.returncode != 0 and "NO_PUBKEY" in updated.stdout + updated.stderr, updated.stdout + updated.stderr
    assert apt("download", "sifee-kiosk").returncode != 0
    assert not list((tmp_path / "apt" / "download").glob("*.deb"))
