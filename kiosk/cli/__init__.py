"""The `kiosk` command's subcommands that need no window: diag, cert, verify, recover, reconcile, doctor, passwd.

Each lives in its own module with a ``register(subparsers)`` function that adds its parser and sets ``func``
(taking the parsed arguments, returning the exit code). The command itself (its parser, ``main``, and the ``run`` and
``sim`` subcommands that start the application) is app/cli, the top layer, which registers these.
"""

