"""Read the essays on every CPU on a cold build (docs/build-speed.md)."""

from .reading import register

__all__ = ["register"]
