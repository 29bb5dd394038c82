"""Tools for the people who write the essays: newpost, check, devserver.

Run them as `python -m authoring COMMAND` (the Makefile's `make newpost`,
`make check` and `make devserver` do).
"""
