"""The hardware-simulator harness: device simulators on their real transports, a generated kiosk configuration
pointing at them, and scripted scenarios run against the whole kiosk (docs/harness.md). Top layer
(docs/architecture.md): it drives the kiosk from outside, as a person or a test would.

Modules: ``bench`` (every action the simulator panel and the scenarios can take on the devices), ``supervisor``
(starts the simulators and writes the generated configuration), ``traffic`` (a serial tap logging each device's
frames), ``scenario`` (the scenario file format), ``runner`` (runs a scenario against the kiosk) with
``maintenance_steps`` (its maintenance-mode actions) and ``failure``, ``sim_panel`` (the simulator's control window,
and ``show_simulator_panel``, the one place it is set up beside a kiosk) with ``sim_typed_card`` (its typed ID card
form).
"""
