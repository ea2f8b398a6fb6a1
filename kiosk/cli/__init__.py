"""The `kiosk` command's subcommands that need no window: diag, cert, verify, recover, reconcile, doctor, passwd.

Each lives in its own module with a ``register(subparsers)`` function that adds its parser and sets ``func``
(taking the parsed arguments, returning the exit code). The command itself (its parser, ``main``, and the ``run`` and
``sim`` subcommands that start the application) is app/cli, the top layer, which registers these.
"""


def main(argv=None) -> int:
    """TEMPORARY (issue 18): the kiosk command is app.cli.main. This alias stays only until tests/test_cert_cli.py,
    which another change is editing, imports app.cli; then it goes, with its line in pyproject.toml's
    import-linter ignore_imports."""
    from app.cli import main as kiosk_main

    return kiosk_main(argv)
