"""The demonstration territory (`load`) and the synthetic benchmark data (`synthetic`)."""

from .loader import load

__all__ = ["load"]
