"""TinyTorch: a small deep-learning framework you build one module at a time."""

__version__ = "0.1.0"
