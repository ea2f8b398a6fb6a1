"""The hardware-simulator harness: device simulators on their real transports, a generated kiosk configuration
pointing at them, and scripted scenarios run against the whole kiosk (docs/harness.md).

Modules: ``bench`` (every action the simulator panel and the scenarios can take on the devices), ``supervisor``
(starts the simulators and writes the generated configuration), ``traffic`` (a serial tap logging each device's
frames), ``scenario`` (the scenario file format), ``runner`` (runs a scenario against the kiosk).
"""
