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

    version_matrix = c.Optional(c.Type(str))
    """Version data file (YAML) relative to mkdocs.yml: engine releases and the maximum API
    version of each. Pages with the matrix markers receive the table and the list."""

    changelog_page = c.Type(str, default="engine/api/version-history.md")
    """Source path of the version-history page. A page at this path in docs_dir is used as
    it is; otherwise the page is generated from the spec folder's CHANGELOG.md."""

    changelog_heading = c.Type(str, default="v{api} API changes")
    """Heading of each version on the version-history page; the matrix links its id."""

    cache = c.Type(bool, default=True)
    """Keep checked specs and rendered pages in ``cache_dir`` between builds, keyed by the
    hash of each spec file, the options and the plugin's code. Off, every build reads and
    renders every spec."""

    cache_dir = c.Type(str, default=".cache/apiref")
    """Folder of the build cache, relative to mkdocs.yml."""

    workers = c.Type(int, default=0)
    """Processes that read and render specs at once; 0 uses every CPU core, 1 none besides
    the build's own."""

    redirect_map = c.Type(dict, default={})
    """Redirect map: legacy source -> target, in the shape of the files in ``redirect_maps_dir``
    (see ``apiref.redirects``): site-absolute paths (``/old/``) or Markdown paths
    (``old/page.md``), a target may carry a ``#fragment``."""

    redirect_maps_dir = c.Type(str, default="redirects")
    """Folder of redirect map files (``*.yml``, ``*.yaml``), relative to mkdocs.yml; skipped
    when it does not exist."""

    version_aliases = c.Type(list, default=[])
    """Legacy URL patterns with ``{api}``, such as
    ``engine/reference/api/iechor_remote_api_v{api}/``; each version's page gets one stub per
    pattern."""

    latest_alias = c.Type(str, default="")
    """Legacy path whose stub leads to the newest version's page; empty for none."""

    server_rules = c.Type(bool, default=True)
    """Also write ``_redirects``, ``nginx-redirects.conf`` and ``redirects.json`` into the site."""

    atomic_build = c.Type(bool, default=True)
    """Build into a temporary folder beside ``site_dir`` and move it into place only when
    the build succeeds, so a failed build leaves the previous site as it was. Not used by
    ``mkdocs serve`` (which builds into its own temporary folder) or ``--dirty`` builds."""
