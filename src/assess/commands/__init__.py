"""The subcommands of `assess`, one module per family, loaded lazily by `assess.cli`."""
