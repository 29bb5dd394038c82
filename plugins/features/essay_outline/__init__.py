from .essay_outline import RUNS_AFTER, outline, register

__all__ = ["RUNS_AFTER", "outline", "register"]
