"""tito, the TinyTorch course command line.

Run `tito --help` for the commands. `tito.cli.main` is the entry point.
"""
