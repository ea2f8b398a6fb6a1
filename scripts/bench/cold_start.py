#!/usr/bin/env python3
"""Cold start: process start to the first painted Home frame, beside a bare PySide6 window with one label.

    .venv/bin/python scripts/bench/cold_start.py [--repeat 5]

Each repetition starts a fresh interpreter (QT_QPA_PLATFORM=offscreen) with the parent's wall-clock time on its
command line; the child marks its phases against that time and prints them. The kiosk child starts KioskApp on
config/simulated.toml with a temporary state directory, so its phases split the start into what comes before the
window (interpreter, imports, QApplication, fonts and translations, devices and their simulators) and the window.
Target: median under 1.0 s and at most 3x the bare window's median.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

TIMES_PREFIX = "TIMES "
TARGET_SECONDS = 1.0
TARGET_RATIO = 3.0


# --- the child: as little as possible before the marks -------------------------------------------------------


def child(kind: str, t0: float) -> int:
    marks: dict[str, float] = {"interpreter": time.time() - t0}

    def mark(name: str) -> None:
        marks[name] = time.time() - t0

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    if kind == "kiosk":
        import tempfile
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        import app.kiosk_app as kiosk_app
        from kiosk.config import load_config

        mark("imports")
    else:
        mark("imports")
    app = QApplication(sys.argv[:1])
    mark("qapplication")

    kiosk = None
    if kind == "kiosk":
        state = tempfile.mkdtemp(prefix="bench-cold-")
        config = load_config(Path(kiosk_app.__file__).resolve().parents[1] / "config" / "simulated.toml")
        config = config.with_overrides({"paths.state_dir": state})
        compose_context = kiosk_app.compose_context

        def timed_compose_context(*args, **kwargs):
            mark("fonts_style")  # translators, CJK font check, stylesheet: what KioskApp does before the context
            try:
                return compose_context(*args, **kwargs)
            finally:
                mark("devices")  # the simulators (ptys, cupsd, bank host), fee system, journal, device hub

        kiosk_app.compose_context = timed_compose_context
        kiosk = kiosk_app.KioskApp(config, app)
        mark("window_built")
        window = kiosk.window
    else:
        window = QLabel("社保费自助缴费终端")
        window.resize(1920, 1080)
        mark("window_built")

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "paint_begin" not in marks:
                mark("paint_begin")
                QTimer.singleShot(0, frame_done)  # runs once the whole frame has been painted
            return False

    def frame_done() -> None:
        mark("painted")
        if kiosk is None:
            app.quit()
        else:
            QTimer.singleShot(0, screens_warm)

    def screens_warm() -> None:
        """The kiosk builds its other screens after the first frame, one per turn: when is the last one ready?"""
        if kiosk.window.screens.next_unbuilt() is None:
            mark("screens_ready")
            app.quit()
        else:
            QTimer.singleShot(1, screens_warm)

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    if kiosk is not None:
        kiosk.show(with_panel=False)
    else:
        window.show()
    mark("shown")
    QTimer.singleShot(20000, app.quit)  # never hang the runner
    app.exec()
    print(TIMES_PREFIX + json.dumps(marks), flush=True)
    if kiosk is not None:
        kiosk.close()  # stop the simulators (cupsd, ptys, bank host): not part of the figure
        import shutil

        shutil.rmtree(state, ignore_errors=True)
    return 0 if "painted" in marks else 1


# --- the parent ---------------------------------------------------------------------------------------------


def start_once(kind: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t0 = time.time()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--t0", repr(t0)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith(TIMES_PREFIX):
            marks = json.loads(line[len(TIMES_PREFIX) :])
            if "painted" in marks:
                return marks
    raise SystemExit(f"{kind} start failed (exit {done.returncode}): {done.stderr[-2000:]}")


PHASES = (
    "interpreter", "imports", "qapplication", "fonts_style", "devices", "window_built", "shown", "painted",
    "screens_ready",
)


def compile_bytecode() -> None:
    """An installed kiosk has its modules' bytecode (pip compiles a wheel at install); a checkout may not have it
    (PYTHONDONTWRITEBYTECODE), and compiling every module at each start is not what a hall's kiosk pays."""
    import compileall
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for package in ("app", "screens", "kiosk", "parties", "printers", "drivers"):
        compileall.compile_dir(root / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="starts of each kind (default 5)")
    parser.add_argument("--child", choices=("bare", "kiosk"), help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.t0)

    from common import Figure, median, report

    compile_bytecode()
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "kiosk": []}
    for _ in range(args.repeat):  # interleaved, so both kinds see the same machine load
        for kind in runs:
            runs[kind].append(start_once(kind))
    medians = {kind: {phase: median([r[phase] for r in rs if phase in r]) for phase in PHASES if phase in rs[0]}
               for kind, rs in runs.items()}
    print(f"cold start, median of {args.repeat} (seconds since the parent started the process, cumulative)")
    print(f"{'phase':<14} {'bare':>8} {'kiosk':>8}")
    for phase in PHASES:
        bare, kiosk = medians["bare"].get(phase), medians["kiosk"].get(phase)
        print(f"{phase:<14} {'' if bare is None else f'{bare:.3f}':>8} {'' if kiosk is None else f'{kiosk:.3f}':>8}")
    kiosk = medians["kiosk"]
    bare = medians["bare"]["painted"]
    total = kiosk["painted"]
    before_window = kiosk["devices"]
    devices = kiosk["devices"] - kiosk["fonts_style"]
    ratio = total / bare
    all_kiosk = ", ".join(f"{r['painted']:.3f}" for r in runs["kiosk"])
    report(Figure("cold start to first Home frame (median)", f"{total * 1000:.0f} ms", "< 1000 ms",
                  total < TARGET_SECONDS, f"runs: {all_kiosk} s"))
    report(Figure("cold start vs bare PySide6 window", f"{ratio:.1f}x (bare {bare * 1000:.0f} ms)", "<= 3x",
                  ratio <= TARGET_RATIO))
    report(Figure("  of which before the window", f"{before_window * 1000:.0f} ms", "", None,
                  f"imports {kiosk['imports'] * 1000:.0f} ms (interpreter {kiosk['interpreter'] * 1000:.0f}), "
                  f"QApplication {(kiosk['qapplication'] - kiosk['imports']) * 1000:.0f} ms, "
                  f"fonts+translations+style {(kiosk['fonts_style'] - kiosk['qapplication']) * 1000:.0f} ms, "
                  f"devices+simulators {devices * 1000:.0f} ms"))
    report(Figure("  of which window build + first paint", f"{(total - before_window) * 1000:.0f} ms", "", None,
                  f"build {(kiosk['window_built'] - kiosk['devices']) * 1000:.0f} ms, "
                  f"show+paint {(total - kiosk['window_built']) * 1000:.0f} ms"))
    if "screens_ready" in kiosk:
        ready = f"{kiosk['screens_ready'] * 1000:.0f} ms"
        after = f"{(kiosk['screens_ready'] - total) * 1000:.0f} ms after it"
        report(Figure("  then the other screens built, after the first frame", ready, "", None,
                      f"{after}, one screen per turn of the event loop (a tap in between is handled at once)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
