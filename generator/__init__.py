"""catalog: a static-site generator for the catalog of digital-talent support."""

__version__ = "0.1.0"
