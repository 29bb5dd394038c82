"""Use the machine's other CPUs on a cold build (README "Build speed")."""

from .plugin import register

__all__ = ["register"]
