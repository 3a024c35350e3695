#!/usr/bin/env python3
"""Measure the site build against its floor, its baseline and (with ``--peers``) Redocly.

One run measures, on a copy of this project built with the spec folder set in
IECHOR_API_SPECS (or ``--specs``):

- the floor: parsing every YAML spec with PyYAML's CSafeLoader, in a fresh process;
- the baseline: ``mkdocs build`` of the same site with ``reference_pages: false``;
- the cold build (empty cache), the warm rebuild (nothing changed) and the rebuild after
  one spec changed (a copy of the spec folder with a comment appended to one spec);
- the peak memory (maximum resident set of the largest build process), the size of the
  newest version's page (raw and gzip), of the whole site and of its search index;
- scaling: cold builds of two test-data spec folders made from the newest specs, one with
  N versions and one with 2N (``--scaling-versions``), and the ratio of their times;
- with ``--peers``: Redocly CLI, installed from the npm registry into a temporary folder,
  building the same specs converted to JSON. Then, in headless Chromium with both sites
  served from 127.0.0.1: the time from navigation until the heading of the ContainerList
  operation is rendered and in view (our page opened at ``#operation/ContainerList``,
  Redocly's at the fragment that its page uses for that operation), and the gzip bytes of
  each page and of the files it loads.

Times are medians of ``--runs`` runs. Results are printed with their ratio to their baseline
and written as a Markdown table to ``--output`` (BENCHMARKS.md by default).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MKDOCS = [PYTHON, "-m", "mkdocs"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_ID = "operation/ContainerList"

FLOOR_SCRIPT = """
import sys, time, yaml
from pathlib import Path
paths = sorted(Path(sys.argv[1]).glob("v*.yaml"))
start = time.perf_counter()
for path in paths:
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""

# Runs a command and prints the largest resident set (KiB) among the processes it waited for,
# then the CPU time (user + system, in seconds) of the command and all its reaped descendants.
MAXRSS_SCRIPT = """
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:]).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
sys.exit(status)
"""


@dataclass
class Figure:
    """One measured figure and what it is compared with."""

    name: str
    value: float
    unit: str
    reference: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        ratio = f"  ({figure.ratio:.2f} x {figure.reference})" if figure.ratio is not None else ""
        verdict = {True: "  target met", False: "  target missed", None: ""}[figure.met]
        print(f"{figure.name}: {figure.value:.3f} {figure.unit}{ratio}{verdict}", flush=True)
        return figure


# Project copies and builds ---------------------------------------------------------------------


def copy_project(target: Path, *, reference_pages: bool, cache_dir: Path | None) -> Path:
    """Copy mkdocs.yml, docs/ and specs/ to ``target`` with plugin options set; return the copy."""
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "specs", target / "specs")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    options = []
    if not reference_pages:
        options.append("      reference_pages: false")
    if cache_dir is None:
        options.append("      cache: false")
    else:
        options.append(f"      cache_dir: {json.dumps(str(cache_dir))}")
    marker = "  - apiref:\n"
    if marker not in text:
        raise SystemExit("mkdocs.yml has no '  - apiref:' plugin entry to configure")
    text = text.replace(marker, marker + "\n".join(options) + "\n", 1)
    (target / "mkdocs.yml").write_text(text, encoding="utf-8")
    return target


def build_env(specs: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["IECHOR_API_SPECS"] = str(specs)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "plugins"), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def timed_build(project: Path, out: Path, specs: Path) -> tuple[float, int, float]:
    """Build ``project`` into ``out``; return wall time (s), largest RSS (KiB) and CPU time (s)."""
    command = [PYTHON, "-c", MAXRSS_SCRIPT, *MKDOCS, "build", "-q", "-d", str(out)]
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=project, env=build_env(specs), capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{completed.stderr}")
    peak, cpu = completed.stdout.strip().splitlines()[-1].split()
    return elapsed, int(peak), float(cpu)


def measure_floor(specs: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        completed = subprocess.run(
            [PYTHON, "-c", FLOOR_SCRIPT, str(specs)], capture_output=True, text=True, check=True
        )
        times.append(float(completed.stdout.strip()))
    return statistics.median(times)


# Sizes -----------------------------------------------------------------------------------------


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def page_text_length(html: bytes) -> int:
    """Return the length of the visible text of a page's content area."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    content = soup.find("article") or soup.body or soup
    return len(content.get_text(" ", strip=True))


# Scaling test data ----------------------------------------------------------------------------

# Largest t(2N) / t(N) of cold builds that counts as linear growth. Exactly linear work gives 2;
# the fixed cost of every build (MkDocs, the other pages, starting the workers) makes it less,
# and the 10 % above 2 leaves room for timing noise on a machine shared with other jobs.
SCALING_LIMIT = 2.2

# The first line indented by two spaces that starts with "version:". In specs laid out like the
# engine's that is info.version, and the plugin stops the build when a copy's info.version
# and file name differ, so a wrong match cannot go unnoticed.
INFO_VERSION_LINE = re.compile(r"""^(  version:[ \t]*)(["']?)[^"'\s]+\2[ \t]*$""", re.MULTILINE)


def write_scaling_specs(specs: Path, target: Path, templates: int, total: int) -> list[str]:
    """Write a spec folder of ``total`` API versions to ``target``; return them, oldest first.

    The newest ``templates`` YAML specs of ``specs`` are written in order, and again as often
    as needed, each under the next minor version (with 12 templates v1.34 ... v1.45, then
    v1.46 = v1.34 ...) with its info.version changed to match. A CHANGELOG.md with one
    heading per version is written as well, so the build makes the version-history page.
    """
    sources = sorted(specs.glob("v*.yaml"), key=_version_key)[-templates:]
    major, first_minor = _version_key(sources[0])
    target.mkdir(parents=True)
    versions = []
    for index in range(total):
        source = sources[index % len(sources)]
        version = f"{major}.{first_minor + index}"
        text, count = INFO_VERSION_LINE.subn(
            rf'\g<1>"{version}"', source.read_text(encoding="utf-8"), count=1
        )
        if count != 1:
            raise SystemExit(f"{source}: no '  version:' line of the info object to rewrite")
        (target / f"v{version}.yaml").write_text(text, encoding="utf-8")
        versions.append((version, source.stem))
    changelog = ['---', 'title: "Engine API version history (benchmark test data)"', "---", ""]
    for version, source_name in reversed(versions):
        changelog += [
            f"## v{version} API changes",
            "",
            f"* The spec of {source_name}, numbered {version} for the benchmark.",
            "",
        ]
    (target / "CHANGELOG.md").write_text("\n".join(changelog), encoding="utf-8")
    return [version for version, _ in versions]


def write_scaling_version_data(project: Path, versions: list[str]) -> None:
    """Replace the releases of the project's version data file with one per test version.

    The plugin stops the build when a release's API version has no spec, so the project's
    own releases (1.24 to 1.45) do not fit a test-data spec folder.
    """
    import yaml

    match = re.search(r"^\s+version_matrix:\s*(\S+)\s*$", (project / "mkdocs.yml").read_text(
        encoding="utf-8"
    ), re.MULTILINE)
    if match is None:
        return
    path = project / match.group(1).strip("\"'")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        data = {}
    data["minimum_api"] = versions[0]
    data["releases"] = [
        {"engine": f"{100 + int(version.split('.')[0])}.{version.split('.')[1]}", "api": version}
        for version in reversed(versions)
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def measure_scaling(specs: Path, work: Path, runs: int, templates: int, results: Results) -> None:
    """Time cold builds of test data with N and 2N versions; add both and their ratio."""
    available = len(list(specs.glob("v*.yaml")))
    count = min(templates, available)
    if count < 1:
        results.notes.append("No v*.yaml spec to make scaling test data from.")
        return
    sizes = (count, 2 * count)
    versions: dict[int, list[str]] = {}
    projects: dict[int, Path] = {}
    for total in sizes:
        versions[total] = write_scaling_specs(specs, work / f"scaling-specs-{total}", count, total)
        projects[total] = copy_project(
            work / f"scaling-site-{total}",
            reference_pages=True,
            cache_dir=work / f"scaling-cache-{total}",
        )
        write_scaling_version_data(projects[total], versions[total])

    times, cpu = time_scaling_builds(work, projects, runs)
    cpu_ratio = cpu[2 * count] / cpu[count]

    results.add(Figure(f"Cold build, test data of {count} versions", times[count], "s"))
    ratio = times[2 * count] / times[count]
    results.add(Figure(
        f"Cold build, test data of {2 * count} versions", times[2 * count], "s",
        f"{count} versions", ratio, f"<= {SCALING_LIMIT} x (linear growth)",
        ratio <= SCALING_LIMIT,
    ))
    results.notes.append(
        f"Scaling test data: the specs v{versions[count][0]} to v{versions[count][-1]}, and "
        f"those plus copies numbered v{versions[2 * count][count]} to "
        f"v{versions[2 * count][-1]} (info.version changed); each folder with a generated "
        "CHANGELOG.md and one engine release per version in the version data file. "
        f"Exactly linear growth gives 2; a build's fixed cost makes it less, and the limit "
        f"{SCALING_LIMIT} leaves 10 % for timing noise. The ratio of the CPU time (user + "
        f"system, all build processes) is {cpu_ratio:.2f}."
    )


def time_scaling_builds(
    work: Path, projects: dict[int, Path], runs: int
) -> tuple[dict[int, float], dict[int, float]]:
    """Build each scaling project ``runs`` times with an empty cache.

    Returns the median wall time and the median CPU time of each, keyed by its version count.
    """
    wall: dict[int, list[float]] = {total: [] for total in projects}
    cpu: dict[int, list[float]] = {total: [] for total in projects}
    # The sizes take turns, so that load from other jobs falls on all of them alike.
    for _ in range(runs):
        for total, project in projects.items():
            shutil.rmtree(work / f"scaling-cache-{total}", ignore_errors=True)
            elapsed, _, seconds = timed_build(
                project, work / f"scaling-out-{total}", work / f"scaling-specs-{total}"
            )
            wall[total].append(elapsed)
            cpu[total].append(seconds)
    return (
        {total: statistics.median(times) for total, times in wall.items()},
        {total: statistics.median(times) for total, times in cpu.items()},
    )


# Peers -----------------------------------------------------------------------------------------


def install_redocly(prefix: Path) -> Path:
    """Install @redocly/cli from the npm registry into ``prefix``; return its executable."""
    subprocess.run(
        ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "@redocly/cli"],
        check=True,
        capture_output=True,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
    )
    return prefix / "node_modules" / ".bin" / "redocly"


def convert_to_json(specs: Path, target: Path) -> list[Path]:
    """Write each YAML spec as JSON (Redocly's YAML parser rejects the upstream files)."""
    import yaml

    target.mkdir(parents=True)
    outputs = []
    for path in sorted(specs.glob("v*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        output = target / f"{path.stem}.json"
        output.write_text(json.dumps(document, default=str), encoding="utf-8")
        outputs.append(output)
    return outputs


def use_local_redoc_bundle(prefix: Path, out: Path) -> str:
    """Point the Redocly pages at the Redoc bundle shipped with the CLI instead of its CDN.

    ``redocly build-docs`` pages load ``redoc.standalone.js`` from cdn.redocly.com, and this
    benchmark sends no traffic beyond 127.0.0.1. Returns the CDN URL that was replaced.
    """
    bundles = sorted(prefix.glob("node_modules/@redocly/cli/**/redoc.standalone.js"))
    if not bundles:
        raise SystemExit(f"redoc.standalone.js not found below {prefix / 'node_modules'}")
    shutil.copyfile(bundles[0], out / "redoc.standalone.js")
    replaced = ""
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        match = re.search(r"https://[^\"']+/redoc\.standalone\.js", text)
        if match:
            replaced = match.group(0)
            # The page imports the bundle as an ES module: `import { hydrate } from "<URL>"`.
            # A bare "redoc.standalone.js" is no valid module specifier, so the import would
            # fail and the page would never render past its prerendered start.
            page.write_text(text.replace(replaced, "./redoc.standalone.js"), encoding="utf-8")
    return replaced


def time_redocly(redocly: Path, specs: list[Path], out: Path) -> float:
    start = time.perf_counter()
    for spec in specs:
        subprocess.run(
            [str(redocly), "build-docs", str(spec), "-o", str(out / f"{spec.stem}.html")],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 in a thread; yield the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return


# Finds the section or heading that a URL fragment names: by id (our pages, Redoc 2) or by
# data-section-id (Redoc 3.0.1, whose fragments are paths such as "/container/containerlist").
# Returns performance.now(), the ms since navigation started, once the heading has a box
# that overlaps the viewport; false until then.
IN_VIEW_SCRIPT = """(fragment) => {
  const target = document.getElementById(fragment)
    || document.querySelector(`[data-section-id="${CSS.escape(fragment)}"]`);
  if (!target) return false;
  const heading = /^H[1-6]$/.test(target.tagName)
    ? target
    : target.querySelector("h1, h2, h3, h4, h5, h6");
  if (!heading) return false;
  const box = heading.getBoundingClientRect();
  if (box.height === 0 || box.bottom <= 0 || box.top >= window.innerHeight) return false;
  return performance.now();
}"""

# Waits until a page has replaced the fragment it was opened with and links to the new one.
# Redoc 3.0.1 does so with "#operation/<operationId>": it changes the location to its own
# path for that operation, which the operation's heading link and side menu item also use.
# Returns the new fragment without "#"; false until then.
FRAGMENT_SCRIPT = """(opened) => {
  const hash = location.hash;
  if (!hash || hash === `#${opened}`) return false;
  if (!document.querySelector(`a[href="${CSS.escape(hash)}"]`)) return false;
  return decodeURIComponent(hash.slice(1));
}"""


@contextlib.contextmanager
def local_browser() -> Iterator[object]:
    """Launch headless Chromium; yield a factory of fresh pages that reach only 127.0.0.1.

    Each page gets its own browser context, so no run reuses another run's HTTP cache. The
    factory returns the page and the list of the URLs of the requests that were aborted.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def new_page() -> tuple[object, list[str]]:
            page = browser.new_context().new_page()
            aborted: list[str] = []

            def only_local(route: object) -> None:
                if route.request.url.startswith("http://127.0.0.1:"):
                    route.continue_()
                else:
                    aborted.append(route.request.url)
                    route.abort()

            page.route("**/*", only_local)
            return page, aborted

        try:
            yield new_page
        finally:
            browser.close()


def time_in_view(url: str, fragment: str, runs: int) -> float | None:
    """Return the median ms from navigation to ``url#fragment`` until its heading is in view.

    Returns None when the heading is not in view within 30 s of any run.
    """
    times = []
    with local_browser() as new_page:
        for _ in range(runs):
            page, _ = new_page()
            value = open_and_wait(page, url, fragment, IN_VIEW_SCRIPT)
            if value is None:
                return None
            times.append(float(value))
            page.context.close()
    return statistics.median(times)


def open_and_wait(page: Any, url: str, fragment: str, script: str) -> Any | None:
    """Open ``url#fragment`` and poll ``script`` (given ``fragment``) each frame for 30 s.

    Returns the script's first truthy value, or None when it has none within 30 s.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{url}#{fragment}", wait_until="commit")
    try:
        handle = page.wait_for_function(script, arg=fragment, polling="raf", timeout=30_000)
    except PlaywrightTimeout:
        return None
    return handle.json_value()


def find_own_fragment(url: str, fragment: str) -> str | None:
    """Open ``url#fragment``; return the fragment the page changes it to, or None.

    None means the page kept ``fragment`` (or rendered nothing) for 30 s.
    """
    with local_browser() as new_page:
        page, _ = new_page()
        value = open_and_wait(page, url, fragment, FRAGMENT_SCRIPT)
        return None if value is None else str(value)


@dataclass
class Download:
    """The files a page loads from its own server, and the requests aborted beyond it."""

    files: list[Path]
    aborted: list[str]

    @property
    def gzip_bytes(self) -> int:
        """Sum of the sizes of the files, each compressed on its own (gzip level 9)."""
        return sum(len(gzip.compress(path.read_bytes())) for path in self.files)


def record_download(base: str, path: str, folder: Path) -> Download:
    """Open ``base + path`` in Chromium; list the files of ``folder`` it requests.

    Requests are recorded until the page is loaded and the network has been idle for 0.5 s
    (or 15 s have passed), so files fetched by scripts after the load event are included.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    requested: list[str] = []
    with local_browser() as new_page:
        page, aborted = new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(base + path, wait_until="load")
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_load_state("networkidle", timeout=15_000)
        page.context.close()
    files: list[Path] = []
    for url in requested:
        if not url.startswith(base):
            continue
        relative = unquote(urlsplit(url).path).lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        file = folder / relative
        if file.is_file() and file not in files:
            files.append(file)
    return Download(files, sorted(set(aborted)))


# The run ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f", {int(total) / 1024 / 1024:.1f} GiB memory"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ""
    with contextlib.suppress(OSError):
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    return f"{cpu}, {cores} cores{memory}{load}"


def median_build(project: Path, out: Path, specs: Path, runs: int, fresh: Path | None) -> tuple[float, int]:
    """Build ``runs`` times (removing ``fresh`` before each); return median time, max RSS."""
    times, peaks = [], []
    for _ in range(runs):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        elapsed, peak, _ = timed_build(project, out, specs)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def run(args: argparse.Namespace) -> Results:
    specs = Path(args.specs).resolve()
    results = Results()
    runs = args.runs
    results.notes.append(f"Machine: {machine()}.")
    work = Path(tempfile.mkdtemp(prefix="apiref-benchmark-"))
    try:
        versions = len(list(specs.glob("v*.yaml")))
        floor = measure_floor(specs, runs)
        results.add(Figure(f"Floor: parse {versions} YAML specs (CSafeLoader)", floor, "s"))

        base_project = copy_project(work / "baseline", reference_pages=False, cache_dir=None)
        baseline, _ = median_build(base_project, work / "out-baseline", specs, runs, None)
        results.add(Figure("Baseline: mkdocs build, reference_pages: false", baseline, "s"))
        floor_base = floor + baseline

        cache_dir = work / "cache"
        project = copy_project(work / "site", reference_pages=True, cache_dir=cache_dir)
        out = work / "out-site"
        cold, peak_cold = median_build(project, out, specs, runs, cache_dir)
        results.add(Figure(
            "Cold build (empty cache)", cold, "s", "(floor + baseline)", cold / floor_base,
            "<= 2 x (floor + baseline)", cold <= 2 * floor_base,
        ))
        warm, peak_warm = median_build(project, out, specs, runs, None)
        results.add(Figure(
            "Warm rebuild (nothing changed)", warm, "s", "baseline", warm / baseline,
            "<= baseline + 1 s", warm <= baseline + 1,
        ))

        changed_specs = work / "specs-copy"
        shutil.copytree(specs, changed_specs)
        timed_build(project, out, changed_specs)
        newest = sorted(changed_specs.glob("v*.yaml"), key=_version_key)[-1]
        times = []
        for index in range(runs):
            with newest.open("a", encoding="utf-8") as stream:
                stream.write(f"\n# benchmark edit {index}\n")
            elapsed, _, _ = timed_build(project, out, changed_specs)
            times.append(elapsed)
        one_changed = statistics.median(times)
        results.add(Figure(
            f"Rebuild after {newest.name} changed", one_changed, "s", "baseline",
            one_changed / baseline,
        ))

        peak = max(peak_cold, peak_warm) / 1024
        results.add(Figure(
            "Peak memory (largest build process)", peak, "MiB", target="< 1024 MiB",
            met=peak < 1024,
        ))

        newest_version = newest.stem
        page = out / "engine" / "api" / newest_version / "index.html"
        raw = page.read_bytes()
        text_length = page_text_length(raw)
        results.add(Figure(f"{newest_version} page", len(raw) / 1024, "KiB"))
        results.add(Figure(f"{newest_version} page, gzip", len(gzip.compress(raw)) / 1024, "KiB"))
        results.add(Figure(f"{newest_version} page text", text_length / 1024, "KiB"))
        results.add(Figure("Whole site", folder_size(out) / 1024 / 1024, "MiB"))
        index_size = (out / "search" / "search_index.json").stat().st_size
        results.add(Figure(
            "Search index", index_size / 1024, "KiB", f"text of the {newest_version} page",
            index_size / text_length, "<= 3 x that text", index_size <= 3 * text_length,
        ))

        measure_scaling(specs, work, runs, args.scaling_versions, results)

        if args.peers:
            run_peers(args, specs, work, out, newest_version, results, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def run_peers(
    args: argparse.Namespace,
    specs: Path,
    work: Path,
    out: Path,
    newest_version: str,
    results: Results,
    runs: int,
) -> None:
    redocly = install_redocly(work / "redocly")
    json_specs = convert_to_json(specs, work / "json")
    redoc_out = work / "redoc"
    redoc_out.mkdir()
    ours = next(f for f in results.figures if f.name.startswith("Cold build"))
    warm = next(f for f in results.figures if f.name.startswith("Warm rebuild"))
    times = [time_redocly(redocly, json_specs, redoc_out) for _ in range(runs)]
    redoc_time = statistics.median(times)
    results.add(Figure(
        f"Redocly build-docs, looped over {len(json_specs)} specs", redoc_time, "s",
        "our cold build", redoc_time / ours.value,
        ">= 3 x our cold build", redoc_time >= 3 * ours.value,
    ))
    results.add(Figure(
        "Redocly build-docs against our warm rebuild", redoc_time, "s",
        "our warm rebuild", redoc_time / warm.value,
        ">= 10 x our warm rebuild", redoc_time >= 10 * warm.value,
    ))
    replaced = use_local_redoc_bundle(work / "redocly", redoc_out)
    if replaced:
        results.notes.append(
            f"The Redocly pages load {replaced}; the benchmark serves the copy of "
            "redoc.standalone.js shipped in the installed @redocly/cli package instead."
        )
    redoc_page = redoc_out / f"{newest_version}.html"
    redoc_size = redoc_page.stat().st_size
    results.add(Figure(f"Redocly {newest_version} page", redoc_size / 1024, "KiB"))
    results.add(Figure(
        f"Redocly {newest_version} page, gzip",
        len(gzip.compress(redoc_page.read_bytes())) / 1024,
        "KiB",
    ))
    bundle_size = (redoc_out / "redoc.standalone.js").stat().st_size
    results.add(Figure(
        f"Redocly {newest_version} page + redoc.standalone.js", (redoc_size + bundle_size) / 1024,
        "KiB",
    ))
    results.notes.append(f"Redocly: {redocly_versions(work / 'redocly', redoc_out)}.")
    page_path = f"engine/api/{newest_version}/"
    with serve(out) as base:
        ours_ms = time_in_view(base + page_path, TARGET_ID, runs)
        ours_download = record_download(base, page_path, out)
    redoc_path = f"{newest_version}.html"
    with serve(redoc_out) as base:
        redoc_fragment = find_own_fragment(base + redoc_path, TARGET_ID)
        if redoc_fragment is None:
            redoc_fragment = TARGET_ID
        else:
            results.notes.append(
                f"The Redocly page changes #{TARGET_ID} to #{redoc_fragment}, the fragment of "
                "that operation's heading link, so its time is measured from navigation to "
                f"{redoc_path}#{redoc_fragment}."
            )
        redoc_ms = time_in_view(base + redoc_path, redoc_fragment, runs)
        redoc_download = record_download(base, redoc_path, redoc_out)
    add_chromium_figures(results, ours_ms, redoc_ms, redoc_fragment)
    add_download_figures(results, newest_version, ours_download, redoc_download, out, redoc_out)


def redocly_versions(prefix: Path, out: Path) -> str:
    """Return the installed @redocly/cli version and the Redoc version of its bundle."""
    package = prefix / "node_modules" / "@redocly" / "cli" / "package.json"
    cli = json.loads(package.read_text(encoding="utf-8")).get("version", "unknown")
    with (out / "redoc.standalone.js").open(encoding="utf-8") as stream:
        match = re.search(r"Version: (\S+)", stream.read(1000))
    redoc = match.group(1) if match else "unknown"
    return f"@redocly/cli {cli}, Redoc {redoc}"


def add_chromium_figures(
    results: Results, ours_ms: float | None, redoc_ms: float | None, redoc_fragment: str
) -> None:
    if ours_ms is None:
        results.notes.append(f"Our page never showed the heading #{TARGET_ID} within 30 s.")
    else:
        results.add(Figure(f"Chromium: #{TARGET_ID} heading in view, our page", ours_ms, "ms"))
    if redoc_ms is None:
        results.notes.append(
            f"The Redocly page never showed the heading of #{redoc_fragment} in view within "
            "30 s, so it has no time."
        )
    elif ours_ms is not None:
        ratio = redoc_ms / ours_ms
        results.add(Figure(
            f"Chromium: #{redoc_fragment} heading in view, Redocly page", redoc_ms, "ms",
            "our page", ratio, ">= 5 x our page (ours 5 x sooner)", ratio >= 5,
        ))


def add_download_figures(
    results: Results,
    newest_version: str,
    ours: Download,
    redoc: Download,
    out: Path,
    redoc_out: Path,
) -> None:
    ours_kib = ours.gzip_bytes / 1024
    redoc_kib = redoc.gzip_bytes / 1024
    results.add(Figure(
        f"Download, gzip: Redocly {newest_version} page + the files it loads", redoc_kib, "KiB",
    ))
    results.add(Figure(
        f"Download, gzip: our {newest_version} page + the files it loads", ours_kib, "KiB",
        "Redocly", ours_kib / redoc_kib, "< 1 x Redocly (fewer bytes)", ours_kib < redoc_kib,
    ))
    for name, download, folder in (("our", ours, out), ("the Redocly", redoc, redoc_out)):
        files = ", ".join(str(path.relative_to(folder)) for path in download.files)
        hosts = sorted({urlsplit(url).netloc for url in download.aborted})
        aborted = f"; requests to {', '.join(hosts)} were aborted" if hosts else ""
        results.notes.append(
            f"Download of {name} page: {files}, each gzipped on its own{aborted}."
        )


def _version_key(path: Path) -> tuple[int, int]:
    major, minor = path.stem.lstrip("v").split(".")
    return int(major), int(minor)


def write_markdown(results: Results, path: Path, command: str) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Build time, memory and page weight of the API reference site, measured by "
        "`scripts/benchmark.py`. Ratios compare figures of the same run.",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Command: `{command}`",
        *[f"- {note}" for note in results.notes],
        "",
        "| Figure | Value | Ratio | Target | Met |",
        "|---|---:|---|---|---|",
    ]
    for figure in results.figures:
        ratio = f"{figure.ratio:.2f} x {figure.reference}" if figure.ratio is not None else ""
        met = {True: "yes", False: "no", None: ""}[figure.met]
        lines.append(
            f"| {figure.name} | {figure.value:,.2f} {figure.unit} | {ratio} | {figure.target} | {met} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--specs",
        default=os.environ.get("IECHOR_API_SPECS"),
        help="spec folder (default: $IECHOR_API_SPECS)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--scaling-versions",
        type=int,
        default=12,
        metavar="N",
        help="versions N of the smaller scaling test-data folder; the larger one has 2N "
        "(default: 12)",
    )
    parser.add_argument("--peers", action="store_true", help="also measure Redocly and Chromium")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one run on the project's own specs/, no peers: checks that the script works",
    )
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="Markdown output")
    args = parser.parse_args(argv)
    if args.quick:
        args.specs = str(ROOT / "specs")
        args.runs = 1
        args.peers = False
    if not args.specs:
        parser.error("set IECHOR_API_SPECS or pass --specs")
    if args.scaling_versions < 1:
        parser.error(f"--scaling-versions must be at least 1, not {args.scaling_versions}")
    results = run(args)
    command = " ".join(["scripts/benchmark.py", *(argv if argv is not None else sys.argv[1:])])
    write_markdown(results, Path(args.output), command)
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
