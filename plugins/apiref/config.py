"""Options of the ``apiref`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class ApiRefConfig(base.Config):
    """Options of the ``apiref`` plugin; see the README for a complete example."""

    enabled = c.Type(bool, default=True)
    """Switch the whole plugin off."""

    reference_pages = c.Type(bool, default=True)
    """Publish the API reference pages. Off, the site is built without them."""

    specs_dir = c.Optional(c.Type(str))
    """Spec folder, relative to mkdocs.yml. Default: $IECHOR_API_SPECS, else ``specs``."""

    version_page = c.Type(str, default="engine/api/v{api}/")
    """URL of each version's reference page; ``{api}`` is the API version (``1.45``)."""

    latest_page = c.Type(str, default="engine/api/latest/")
    """URL of a copy of the newest reference page; an empty string publishes none."""

    download = c.Type(str, default="engine/api/v{api}{suffix}")
    """URL of each raw spec download; ``{suffix}`` is the spec file's (``.yaml``)."""

    search = c.Choice(("newest", "all", "none"), default="newest")
    """Which reference pages the site search indexes: the newest version only, all, none."""

    fragment_aliases = c.Type(dict, default={})
    """Old ``#fragment`` -> current fragment on reference pages, such as an operationId
    that a spec renamed but its descriptions still link to. Links in the pages are rewritten,
    and readers who arrive with the old fragment are sent on."""

    nav_section = c.Type(str, default="API reference")
    """Title of a nav section that receives every version's page, newest first. Nothing is
    added when the nav has no section with this title."""

    atomic_build = c.Type(bool, default=True)
    """Build into a temporary folder beside ``site_dir`` and move it into place only when
    the build succeeds, so a failed build leaves the previous site as it was. Not used by
    ``mkdocs serve`` (which builds into its own temporary folder) or ``--dirty`` builds."""
