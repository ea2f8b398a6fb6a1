"""The top layer: the composition root and the harness (docs/architecture.md).

``app.cli`` is the ``kiosk`` command (its parser, ``run`` and ``sim``; the non-GUI commands live in kiosk/cli and are
registered here), ``app.kiosk_app`` builds the running kiosk from its configuration and starts and stops the process,
``app.harness`` is the hardware-simulator harness (supervisor, scenario runner, control panel). Modules here may
import everything below them (screens, kiosk, drivers, printers); nothing below imports them.
"""
