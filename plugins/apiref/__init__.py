"""Generate the iEchor Engine API reference site: reference pages, version matrix,
version history and redirect stubs.

The modules in this package do not import MkDocs, except ``plugin``, which adapts them to
MkDocs hooks, so ``apiref.cli`` can drive the same work for any site generator.
"""

__version__ = "0.1.0"
