"""Lentera: case management and evidence tools for Indonesian anti-trafficking NGOs."""

__all__ = ["__version__"]

__version__ = "0.1.0"
