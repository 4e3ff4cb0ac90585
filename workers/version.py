"""The package version, in a module of its own so the core can name it without importing the
package's library API (``workers/__init__.py``). Kept equal to ``pyproject.toml``'s version."""
__version__ = "0.1.0"
