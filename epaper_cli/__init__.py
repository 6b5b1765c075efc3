"""epaper: a newspaper archive and conversion toolkit."""

__version__ = "0.1.0"
