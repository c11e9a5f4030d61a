"""`make bench`: the pipeline against the plain tool chain, against itself, and its memory.

(a) a full build of the first article (every installed format, empty output folder) against
    the commands a user would script instead, on the same text: pandoc to EPUB, pandoc to HTML
    then weasyprint to PDF, espeak-ng -w then lame to MP3 (one step per installed format);
(b) a no-change rebuild against the full build;
(c) 50 generated articles with --jobs 1 against --jobs 2;
(d) the peak memory of a full build;
(e) the spoken edition alone (`--format audio`) against espeak-ng -w then lame (target: at most 1.5 times);
(j) the mastering step alone (bench/mastering.py: the first article's narration mastered with
    the default profile, in a fresh process) against (e), the spoken edition's whole build;
(f) the braille edition alone (`--format braille`, BRF and PEF), a figure without a target;
(h) every script as fast as Latin: the full build of a short Chinese, Arabic and Bengali leaflet
    (tests/articles/lang/) against the full build of the first (much longer) English article;
(i) where the time goes: each output of the first article rendered alone, split into phases
    (bench/profile.py), and the critical path of a 2-core build;
(g) the 50 articles of (c) on a Dask LocalCluster of 2 worker processes (`--executor dask
    --workers 2`) against the local pool's --jobs 2, and the cluster build's peak memory (its
    whole process tree: client, scheduler, workers and their renderer processes, sampled every
    0.25 s, which costs the cluster a little time, not the pool).
Runs alternate (A, B, A, B ...), at least 3 of each; medians and ratios are printed and written
to bench/results.md with a description of the machine. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ROOT / "source" / "hard-muscles.yaml"
PIPELINE = [sys.executable, "-m", "pipeline"]
MEASURE = [sys.executable, str(Path(__file__).with_name("measure.py"))]
TOOLS_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"  # the venv's weasyprint first
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | {"PATH": TOOLS_PATH}
"""What a user's shell gives: Python keeps its compiled modules (some sandboxes forbid that, and
every command would compile the pipeline again, 50 ms of a no-change build)."""

# What a user would script for each kind of output, from the article as Markdown ({md}) and as
# plain text ({txt}); {out} is the output's path without extension.
CHAIN = {
    "text/plain": [["pandoc", "{md}", "-t", "plain", "-o", "{out}.txt"]],
    "application/pdf": [["pandoc", "{md}", "-s", "--metadata", "title={title}", "-o", "{md}.html"], ["weasyprint", "{md}.html", "{out}.pdf"]],
    "application/epub+zip": [["pandoc", "{md}", "--metadata", "title={title}", "-o", "{out}.epub"]],
    "audio/mpeg": [["espeak-ng", "-v", "en", "-w", "{out}.wav", "-f", "{txt}"], ["lame", "--quiet", "{out}.wav", "{out}.mp3"]],
}
TARGETS = {"a": ("<=", 0.5), "b": ("<=", 0.1), "c": (">=", 1.7), "d": ("<", 250.0), "e": ("<=", 1.5), "j": ("<=", 0.05), "g": ("<=", 1.15), "h": ("<=", 1.0)}
SCRIPTS = {"Chinese": "zh-hans", "Arabic": "ar", "Bengali": "bn"}
"""(h): the short leaflets of tests/articles/lang/ whose scripts need their own fonts and shaping."""
CLUSTER_SAMPLING = 0.25  # seconds: often enough for a build's plateau, cheap enough not to slow it


@dataclass
class Series:
    """Repeated measurements of one command."""

    name: str
    seconds: list[float] = field(default_factory=list)
    memory_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def cell(self) -> str:
        return f"{self.median:.2f} s (runs: {', '.join(f'{value:.2f}' for value in self.seconds)})"


def measure(command: list[str], series: Series, every: float | None = None, cwd: Path = ROOT) -> dict:
    """Time `command`; with `every`, also sample its process tree's memory every that many seconds."""
    process = subprocess.run([*MEASURE, *([f"--sample={every}"] if every else []), *command], capture_output=True, text=True, cwd=cwd, env=ENVIRONMENT)
    if process.returncode or not process.stdout.strip():
        sys.exit(f"bench: measuring {' '.join(command)} failed:\n{process.stderr}")
    result = json.loads(process.stdout.splitlines()[-1])
    if result["status"]:
        sys.exit(f"bench: {' '.join(command)} exited with status {result['status']}:\n{process.stderr}")
    series.seconds.append(result["seconds"])
    series.memory_mb.append(result.get("tree_peak_kb", result["maxrss_kb"]) / 1024)
    return result


def master_step(series: Series) -> None:
    """(j): one fresh process's mastering time (bench/mastering.py), not the process's."""
    process = subprocess.run([sys.executable, str(Path(__file__).with_name("mastering.py")), str(FIRST)], capture_output=True, text=True, cwd=ROOT, env=ENVIRONMENT)
    if process.returncode:
        sys.exit(f"bench: mastering failed:\n{process.stderr}")
    series.seconds.append(json.loads(process.stdout.splitlines()[-1])["seconds"])


def build(out: Path, *args: object) -> list[str]:
    return [*PIPELINE, "build", "--quiet", "--out", str(out), *map(str, args)]


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def installed_renderers() -> dict[str, str]:
    """Installed renderer name -> media type (without parameters)."""
    from pipeline import registry

    found = {}
    for name in registry.installed().names:
        try:
            found[name] = registry.installed().load(name).media_type.split(";")[0].strip()
        except registry.PluginError as error:
            print(f"bench: skipping {error}", file=sys.stderr)
    return found


def chain_script(renderers: dict[str, str], work: Path, title: str) -> tuple[str, list[str]]:
    """The shell script of the plain tool chain for the installed formats, and formats it cannot make."""
    steps: list[str] = []
    uncovered = []
    for name, media_type in sorted(renderers.items()):
        if media_type not in CHAIN:
            uncovered.append(f"{name} ({media_type})")
            continue
        for step in CHAIN[media_type]:
            words = [word.format(md=work / "article.md", txt=work / "article.txt", out=work / "chain" / name, title=title) for word in step]
            line = " ".join(_quote(word) for word in words)
            if line not in steps:
                steps.append(line)
    return "\n".join(["set -e", f"mkdir -p {_quote(str(work / 'chain'))}", *steps]), uncovered


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


def library(folder: Path, count: int) -> Path:
    """`count` copies of the first article with their own ids and a varied title and subtitle."""
    text = FIRST.read_text("utf-8")
    fresh(folder)
    for number in range(count):
        varied = text.replace("title: What Vitamin", f"title: Part {number + 1} - What Vitamin", 1).replace(
            "subtitle: Exploring the Nutritional Link", f"subtitle: Exploring the Nutritional Link, edition {number + 1}", 1
        )
        (folder / f"article-{number + 1:02d}.yaml").write_text(varied, "utf-8")
    return folder


def machine() -> list[tuple[str, str]]:
    def first_line(command: list[str]) -> str:
        path = shutil.which(command[0], path=TOOLS_PATH)
        if not path:
            return "not installed"
        done = subprocess.run([path, *command[1:]], capture_output=True, text=True)
        return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    libraries = []
    for package in ("pipeline", "weasyprint", "ebooklib", "pyttsx3", "pydantic"):
        try:
            libraries.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            libraries.append(f"{package} not installed")
    return [
        ("CPU", cpu),
        ("Cores", f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)"),
        ("RAM", f"{memory_kb / 1024**2:.1f} GiB"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Load average at start", " ".join(f"{value:.2f}" for value in os.getloadavg())),
        ("Libraries", ", ".join(libraries)),
        ("pandoc", first_line(["pandoc", "--version"])),
        ("weasyprint (CLI)", first_line(["weasyprint", "--version"])),
        ("espeak-ng", first_line(["espeak-ng", "--version"])),
        ("lame", first_line(["lame", "--version"])),
    ]


def verdict(key: str, value: float) -> str:
    operator, target = TARGETS[key]
    met = {"<=": value <= target, ">=": value >= target, "<": value < target}[operator]
    return f"target {operator} {target:g}: {'met' if met else 'NOT MET'}"


def _megabytes(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} MB (runs: {', '.join(f'{value:.0f}' for value in values)})" if values else "not run"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--articles", type=int, default=50, help="generated articles for (c) and (g) (default 50)")
    parser.add_argument("--library-runs", type=int, default=None, help="runs of (c) and (g), which take minutes each (default: --runs)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    options = parser.parse_args()
    work = fresh(ROOT / "bench" / "work")
    renderers = installed_renderers()
    described = machine()
    missing = [tool for tool in ("pandoc", "weasyprint", "espeak-ng", "lame") if not shutil.which(tool, path=TOOLS_PATH)]

    # The same text for the tool chain: the article as the pipeline's plain text (Markdown-compatible headings).
    subprocess.run(build(work / "input", "--format", "txt", FIRST), check=True, cwd=ROOT)
    text = (work / "input" / FIRST.stem / f"{FIRST.stem}.txt").read_text("utf-8")
    for name in ("article.md", "article.txt"):
        (work / name).write_text(text, "utf-8")
    script, uncovered = chain_script(renderers, work, text.splitlines()[0])
    spoken_script = chain_script({"audio": "audio/mpeg"}, work, text.splitlines()[0])[0] if "audio" in renderers else ""
    needed = {word for line in script.splitlines()[2:] for word in [line.split()[0].strip("'")]}
    missing = sorted(set(missing) & needed)

    full, unchanged, chain = Series("full build"), Series("no-change rebuild"), Series("tool chain")
    serial, parallel = Series("--jobs 1"), Series("--jobs 2")
    spoken, spoken_chain = Series("audio only"), Series("espeak-ng + lame")
    mastering = Series("mastering")
    braille = Series("braille only")
    peaks, largest = Series("full build, sampled"), []
    cluster = Series("--executor dask --workers 2")
    scripts = {name: Series(name) for name in SCRIPTS}
    dask_installed = importlib.util.find_spec("distributed") is not None
    articles = library(work / "library", options.articles)
    for run in range(options.runs):
        print(f"bench: run {run + 1} of {options.runs}", file=sys.stderr)
        out = fresh(work / "out")
        largest.append(measure(build(out, FIRST), full)["maxrss_kb"] / 1024)  # (a), (b), (d)
        measure(build(out, FIRST), unchanged)  # (b)
        if not missing:
            measure(["bash", "-c", script], chain)  # (a)
        if run < (options.library_runs or options.runs):
            measure(build(fresh(work / "one"), "--jobs", "1", articles), serial)  # (c)
            measure(build(fresh(work / "two"), "--jobs", "2", articles), parallel)  # (c), (g)
            if dask_installed:
                measure(build(fresh(work / "cluster"), "--executor", "dask", "--workers", "2", articles), cluster, every=CLUSTER_SAMPLING)  # (g)
        for name, file in SCRIPTS.items():
            measure(build(fresh(work / "script"), ROOT / "tests" / "articles" / "lang" / f"{file}.yaml"), scripts[name])  # (h)
        measure(build(fresh(work / "out"), FIRST), peaks, every=0.02)  # (d), apart: sampling costs time
        if spoken_script and not missing:
            measure(build(fresh(work / "spoken"), "--format", "audio", FIRST), spoken)  # (e)
            measure(["bash", "-c", spoken_script], spoken_chain)  # (e)
            master_step(mastering)  # (j)
        if "braille" in renderers:
            measure(build(fresh(work / "braille"), "--format", "braille", FIRST), braille)  # (f)

    profiled = subprocess.run([sys.executable, str(Path(__file__).with_name("profile.py")), str(FIRST)], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()  # (i)
    rows = [f"Formats built: {', '.join(f'{name} ({media})' for name, media in sorted(renderers.items()))}."]
    if uncovered:
        rows.append(f"No tool-chain step for: {', '.join(uncovered)} (the pipeline still builds them in (a)).")
    absent = sorted({"application/pdf", "application/epub+zip", "audio/mpeg"} - set(renderers.values()))
    if absent:
        rows.append(f"NOT INSTALLED, so neither side of (a) makes them: {', '.join(absent)}.")
    figures = [("(b) no-change / full", unchanged.median / full.median, "b"), ("(c) speed-up --jobs 2", serial.median / parallel.median, "c")]
    if missing:
        rows.append(f"(a) NOT RUN: missing {', '.join(missing)} (run `make bench` as root to install them).")
    else:
        figures.insert(0, ("(a) pipeline / tool chain", full.median / chain.median, "a"))
    if spoken.seconds:
        figures.append(("(e) audio only / espeak-ng + lame", spoken.median / spoken_chain.median, "e"))
        figures.append(("(j) mastering / --format audio", mastering.median / spoken.median, "j"))
    memory = statistics.median(peaks.memory_mb)
    figures.append(("(d) peak memory, MB (whole process tree)", memory, "d"))
    figures += [(f"(h) {name} leaflet / first article, full build", series.median / full.median, "h") for name, series in scripts.items()]
    if cluster.seconds:
        figures.append(("(g) Dask LocalCluster / local pool, --jobs 2", cluster.median / parallel.median, "g"))
    else:
        rows.append("(g) NOT RUN: Dask is not installed (pip install -e '.[dask]').")
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` (bench/run.py): {options.runs} alternating runs of each ({options.library_runs or options.runs} of (c) and (g)); medians.",
        "",
        "| Machine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in described),
        "",
        *rows,
        "",
        "| Measurement | Median (runs) |",
        "|---|---|",
        f"| (a) full build of {FIRST.name}, empty output folder | {full.cell()} |",
        f"| (a) plain tool chain, same text | {chain.cell() if chain.seconds else 'not run'} |",
        f"| (b) no-change rebuild | {unchanged.cell()} |",
        f"| (c) {options.articles} articles, --jobs 1 | {serial.cell()} |",
        f"| (c) {options.articles} articles, --jobs 2 | {parallel.cell()} |",
        f"| (e) --format audio, empty output folder | {spoken.cell() if spoken.seconds else 'not run'} |",
        f"| (e) espeak-ng -w then lame, same text | {spoken_chain.cell() if spoken_chain.seconds else 'not run'} |",
        f"| (j) mastering the first article's narration (default profile, numpy and scipy loaded) | {mastering.cell() if mastering.seconds else 'not run'} |",
        f"| (f) --format braille, empty output folder (the whole command) | {braille.cell() if braille.seconds else 'not installed'} |",
        f"| (d) peak memory, whole process tree (sampled every 20 ms) | {_megabytes(peaks.memory_mb)} |",
        f"| (d) largest single process (getrusage children maxrss) | {statistics.median(largest):.0f} MB |",
        f"| (g) {options.articles} articles, --executor dask --workers 2 | {cluster.cell() if cluster.seconds else 'not run'} |",
        f"| (g) its peak memory, whole process tree (sampled every 0.25 s) | {_megabytes(cluster.memory_mb)} |",
        *(f"| (h) full build of the short {name} leaflet (tests/articles/lang/{SCRIPTS[name]}.yaml) | {series.cell()} |" for name, series in scripts.items()),
        "",
        "| Ratio | Value | Target |",
        "|---|---|---|",
        *(f"| {label} | {value:.2f} | {verdict(key, value)} |" for label, value, key in figures),
        "",
        "(i) Where a full build's time goes: each output of the first article rendered alone in one",
        "process (bench/profile.py), seconds per phase:",
        "",
        profiled,
        "",
        "The tool chain's script:",
        "",
        "```sh",
        script.replace(str(work), "bench/work"),
        "```",
    ]
    report = "\n".join(lines) + "\n"
    options.output.write_text(report, "utf-8")
    print(report)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
