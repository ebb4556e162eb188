"""THE Partnership Office: desktop office application of a schools partnership."""

__version__ = "0.1.0"
