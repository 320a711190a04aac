"""Cheepao (ชี้เป้า): open platform for targeted poverty eradication."""

__version__ = "0.1.0"
