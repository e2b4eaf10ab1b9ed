#!/usr/bin/env python3
"""Tables and charts from the criterion results of `cargo bench --bench map`.

Reads target/criterion/<group>/<map>/<size>/new/{benchmark,estimates}.json,
takes each benchmark's median, divides it by the benchmark's throughput (the
operations or entries one iteration does, so the figure is per operation, per
entry or per map, as the `per` column says), and writes:

- a markdown table per size: rows are workloads, columns are maps, then the
  ratios AvlMap/imbl, AvlMap/rpds-sync, AvlMap/AvlMap-B0 (the default blocks
  against the classic layout) and AvlMapRc/imbl (below 1: the first is
  faster); to stdout, or to the file given with --out;
- an SVG bar chart per size, docs/bench-1e<k>.svg (or into --svg-dir): for
  each workload, each map's time relative to imbl's, on a log scale.

    python3 benches/report.py                          # tables to stdout
    python3 benches/report.py --out target/bench.md    # to a file
    python3 benches/report.py --memory target/memory.md --out target/bench.md

Python 3 standard library only.
"""

import argparse
import datetime
import json
import math
import os
import sys
from xml.sax.saxutils import escape

# Workloads in the order of the tables, with what one throughput element is.
WORKLOADS = [
    ("build_ascending", "entry"),
    ("build_random", "entry"),
    ("from_iter", "entry"),
    ("insert_persistent", "op"),
    ("remove_persistent", "op"),
    ("remove_random", "entry"),
    ("get_present", "lookup"),
    ("get_absent", "lookup"),
    ("get_present_collected", "lookup"),
    ("get_absent_collected", "lookup"),
    ("get_mut", "lookup"),
    ("iter", "entry"),
    ("iter_collected", "entry"),
    ("range100", "query"),
    ("range100_collected", "query"),
    ("clone", "map"),
    ("drop", "entry"),
    ("diff10", "diff"),
]

# Why a map has no result in a workload, where it has none by design.
NOT_RUN = {
    "insert_persistent": "a full copy per version",
    "remove_persistent": "a full copy per version",
    "diff10": "no diff",
}

# Maps in the order of the columns, with their colours in the charts
# (Okabe-Ito, readable with the common colour-vision deficiencies).
MAPS = [
    ("AvlMap", "#0072B2"),
    ("AvlMapRc", "#56B4E9"),
    ("AvlMap-B0", "#CC79A7"),
    ("BTreeMap", "#7F7F7F"),
    ("rpds-sync", "#D55E00"),
    ("rpds-rc", "#E69F00"),
    ("imbl", "#009E73"),
]
BASELINE = "imbl"
RATIOS = [
    ("AvlMap", "imbl"),
    ("AvlMap", "rpds-sync"),
    ("AvlMap", "AvlMap-B0"),
    ("AvlMapRc", "imbl"),
]


def load(root):
    """{(group, map, size): (ns per element, mtime)} and the groups skipped."""
    results, skipped = {}, set()
    known = {w for w, _ in WORKLOADS}
    if not os.path.isdir(root):
        sys.exit(f"report.py: no criterion results in {root}; run cargo bench first")
    for group_dir in sorted(os.listdir(root)):
        for dirpath, _, files in os.walk(os.path.join(root, group_dir)):
            if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
                continue
            with open(os.path.join(dirpath, "benchmark.json")) as f:
                bench = json.load(f)
            group, name = bench["group_id"], bench.get("function_id")
            size = bench.get("value_str")
            if group not in known:
                skipped.add(group)
                continue
            if name is None or size is None or not size.isdigit():
                continue
            estimates_path = os.path.join(dirpath, "estimates.json")
            with open(estimates_path) as f:
                median = json.load(f)["median"]["point_estimate"]
            throughput = bench.get("throughput") or {}
            elements = throughput.get("Elements") or throughput.get("Bytes") or 1
            results[(group, name, int(size))] = (
                median / elements,
                os.path.getmtime(estimates_path),
            )
    return results, skipped


def fmt_time(ns):
    """3 significant digits with a unit: 12.3 ns, 4.56 µs, 789 ms."""
    for unit, scale in (("ns", 1.0), ("µs", 1e3), ("ms", 1e6)):
        if ns < 999.5 * scale:
            v = ns / scale
            break
    else:
        unit, v = "s", ns / 1e9
    digits = 2 if v < 9.995 else 1 if v < 99.95 else 0
    return f"{v:.{digits}f} {unit}"


def fmt_ratio(r):
    if r is None:
        return "—"
    if r >= 99.5:
        return f"{r:,.0f}×"
    return f"{r:.3g}×"


def size_label(n):
    """10³ for 1000; the number itself if not a power of ten."""
    k = round(math.log10(n)) if n > 0 else 0
    return f"10{superscript(k)}" if 10**k == n else f"{n:,}"


def size_slug(n):
    k = round(math.log10(n)) if n > 0 else 0
    return f"1e{k}" if 10**k == n else str(n)


def ratio(results, group, num, den, size):
    a, b = results.get((group, num, size)), results.get((group, den, size))
    if a is None or b is None or b[0] <= 0:
        return None
    return a[0] / b[0]


def table(results, size, maps):
    units = dict(WORKLOADS)
    head = ["workload", "per"] + maps + [f"{a}/{b}" for a, b in RATIOS]
    lines = [
        "| " + " | ".join(head) + " |",
        "|---|---|" + "--:|" * (len(maps) + len(RATIOS)),
    ]
    for group, _ in WORKLOADS:
        if not any((group, m, size) in results for m in maps):
            continue
        cells = [f"`{group}`", units[group]]
        for m in maps:
            r = results.get((group, m, size))
            cells.append(fmt_time(r[0]) if r else "—")
        for a, b in RATIOS:
            cells.append(fmt_ratio(ratio(results, group, a, b, size)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# SVG


def nice_ticks(lo, hi):
    """(tick, labelled) for gridlines 1-2-5 per decade between lo and hi;
    only the decades labelled when the range is wide."""
    decades = math.log10(hi) - math.log10(lo)
    steps = (1,) if decades > 7 else (1, 2, 5)
    ticks = []
    for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for s in steps:
            t = s * 10.0**e
            if lo <= t <= hi:
                ticks.append((t, s == 1 or decades <= 4.5))
    return ticks


def tick_label(t):
    if t >= 1000 or t < 0.01:
        e = round(math.log10(t))
        if abs(t - 10.0**e) < 1e-9 * t:
            return f"10{superscript(e)}×"
    return f"{t:g}×"


def superscript(e):
    table = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return str(e).translate(table)


def chart(results, size, maps, note=None):
    """The SVG text of the chart for `size`, or None without baseline data."""
    bars = [m for m in maps if m != BASELINE]
    colours = dict(MAPS)
    groups = [
        g
        for g, _ in WORKLOADS
        if (g, BASELINE, size) in results
        and any((g, m, size) in results for m in bars)
    ]
    if not groups:
        return None
    ratios = {
        (g, m): ratio(results, g, m, BASELINE, size) for g in groups for m in bars
    }
    values = [r for r in ratios.values() if r is not None and r > 0] + [1.0]

    width, left, right = 980, 170, 40
    bar_h, bar_gap, group_gap = 11, 2, 14
    top = 92
    group_h = len(bars) * (bar_h + bar_gap) + group_gap
    plot_h = len(groups) * group_h
    height = top + plot_h + (80 if note else 60)
    plot_w = width - left - right
    # Log scale, with room beyond the extreme bars for their value labels.
    lmin, lmax = math.log10(min(values)), math.log10(max(values))
    pad = 56 / plot_w  # the fraction of the width a label needs
    span = max(lmax - lmin, 0.3)
    lmin, lmax = lmin - span * pad / (1 - 2 * pad), lmax + span * pad / (1 - 2 * pad)

    def x(v):
        return left + (math.log10(v) - lmin) / (lmax - lmin) * plot_w

    out = []
    add = out.append
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="12">'
    )
    add(f'<rect width="{width}" height="{height}" fill="white"/>')
    add(
        f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16" '
        f'font-weight="bold">Median time relative to imbl OrdMap, '
        f"n = {escape(size_label(size))} (u64 keys and values)</text>"
    )
    add(
        f'<text x="{width / 2}" y="44" text-anchor="middle" fill="#444">'
        f"Log scale. Bars left of 1× are faster than imbl, right of it slower. "
        f"Same run, same machine.</text>"
    )
    if note:
        add(
            f'<text x="{width - 8}" y="{height - 8}" text-anchor="end" '
            f'font-size="13" fill="#c00000">{escape(note)}</text>'
        )
    # Legend.
    item_w = 130
    legend_w = item_w * (len(bars) + 1)
    # Centred over the plot, or over the whole width when wider than the plot.
    lx = left + (plot_w - legend_w) / 2 if legend_w <= plot_w else (width - legend_w) / 2
    for i, m in enumerate(bars + [BASELINE]):
        ix = lx + i * item_w
        if m == BASELINE:
            add(
                f'<line x1="{ix}" y1="66" x2="{ix + 14}" y2="66" '
                f'stroke="{colours.get(m, "#000")}" stroke-width="3"/>'
            )
            add(f'<text x="{ix + 20}" y="70">{escape(m)} = 1×</text>')
        else:
            add(
                f'<rect x="{ix}" y="60" width="14" height="12" '
                f'fill="{colours.get(m, "#000")}"/>'
            )
            add(f'<text x="{ix + 20}" y="70">{escape(m)}</text>')
    # Grid and tick labels.
    lo, hi = 10**lmin, 10**lmax
    for t, labelled in nice_ticks(lo, hi):
        tx = x(t)
        major = abs(math.log10(t) - round(math.log10(t))) < 1e-9
        add(
            f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{top + plot_h}" '
            f'stroke="{"#bbb" if major else "#e4e4e4"}" stroke-width="1"/>'
        )
        if labelled:
            add(
                f'<text x="{tx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="{"#333" if major else "#777"}" '
                f'font-size="{12 if major else 10}">{escape(tick_label(t))}</text>'
            )
    add(
        f'<text x="{left + plot_w / 2}" y="{top + plot_h + 40}" text-anchor="middle" '
        f'font-size="13">time per operation or entry, relative to imbl '
        f"(log scale; lower is faster)</text>"
    )
    # Bars, one group per workload, from 1× towards the ratio.
    one = x(1.0)
    units = dict(WORKLOADS)
    for gi, g in enumerate(groups):
        gy = top + gi * group_h
        if gi % 2 == 1:
            add(
                f'<rect x="4" y="{gy - group_gap / 2 + 1}" width="{width - 8}" '
                f'height="{group_h}" fill="#f6f6f6"/>'
            )
        mid = gy + (group_h - group_gap) / 2
        add(
            f'<text x="{left - 10}" y="{mid}" text-anchor="end" font-size="13" '
            f'font-weight="bold">{escape(g)}</text>'
        )
        add(
            f'<text x="{left - 10}" y="{mid + 15}" text-anchor="end" fill="#555">'
            f"per {escape(units[g])}</text>"
        )
        for bi, m in enumerate(bars):
            by = gy + bi * (bar_h + bar_gap)
            r = ratios[(g, m)]
            if r is None:
                why = f" ({NOT_RUN[g]})" if g in NOT_RUN else ""
                add(
                    f'<text x="{one + 4:.1f}" y="{by + bar_h - 2}" fill="#888" '
                    f'font-size="10">{escape(m)}: not run'
                    f"{escape(why)}</text>"
                )
                continue
            bx = x(r)
            x0, x1 = min(one, bx), max(one, bx)
            add(
                f'<rect x="{x0:.1f}" y="{by}" width="{max(x1 - x0, 1):.1f}" '
                f'height="{bar_h}" fill="{colours.get(m, "#000")}">'
                f"<title>{escape(g)} / {escape(m)}: {fmt_ratio(r)} imbl</title></rect>"
            )
            if r >= 1:
                lab_x, anchor = x1 + 3, "start"
            else:
                lab_x, anchor = x0 - 3, "end"
            add(
                f'<text x="{lab_x:.1f}" y="{by + bar_h - 2}" text-anchor="{anchor}" '
                f'font-size="10" fill="#222">{escape(fmt_ratio(r))}</text>'
            )
    # The baseline over the bars.
    add(
        f'<line x1="{one:.1f}" y1="{top - 6}" x2="{one:.1f}" y2="{top + plot_h}" '
        f'stroke="{colours.get(BASELINE, "#000")}" stroke-width="2"/>'
    )
    add("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--criterion-dir",
        default=os.path.join(repo, "target", "criterion"),
        help="criterion's output directory (default: target/criterion)",
    )
    p.add_argument("--out", help="write the markdown here instead of stdout")
    p.add_argument(
        "--svg-dir",
        default=os.path.join(repo, "docs"),
        help="where the charts go, as bench-1e<k>.svg (default: docs)",
    )
    p.add_argument("--no-svg", action="store_true", help="write no charts")
    p.add_argument(
        "--memory", help="a table written by `cargo bench --bench memory`, appended"
    )
    p.add_argument(
        "--sizes",
        help="comma-separated sizes to report, as 1000,100000 (default: all found)",
    )
    p.add_argument(
        "--note",
        help="a line added to the tables and charts, as 'draft: --quick run'",
    )
    args = p.parse_args()

    results, skipped = load(args.criterion_dir)
    if skipped:
        print(
            "report.py: skipped groups this script does not know (old runs?): "
            + ", ".join(sorted(skipped)),
            file=sys.stderr,
        )
    if not results:
        sys.exit(f"report.py: no results of known workloads in {args.criterion_dir}")
    found = {m for _, m, _ in results}
    maps = [m for m, _ in MAPS if m in found] + sorted(found - dict(MAPS).keys())
    sizes = sorted({n for _, _, n in results})
    if args.sizes:
        wanted = {int(x) for x in args.sizes.split(",") if x.strip()}
        sizes = [n for n in sizes if n in wanted]
        results = {k: v for k, v in results.items() if k[2] in wanted}
        if not results:
            sys.exit(f"report.py: no results at sizes {args.sizes}")
    times = [t for _, t in results.values()]

    def when(t):
        return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"
        )

    md = [
        "Medians of criterion's samples, divided by the operations or entries "
        "one iteration does (`per`). Ratios are of medians from the same run; "
        "below 1× the first map is faster. Results written between "
        f"{when(min(times))} and {when(max(times))}.\n"
    ]
    if args.note:
        md.append(f"\n**{args.note}**\n")
    out_dir = os.path.dirname(os.path.abspath(args.out)) if args.out else os.getcwd()
    for n in sizes:
        md.append(f"\n### n = {size_label(n)}\n\n")
        md.append(table(results, n, maps))
        if not args.no_svg:
            svg = chart(results, n, maps, args.note)
            if svg is not None:
                os.makedirs(args.svg_dir, exist_ok=True)
                path = os.path.join(args.svg_dir, f"bench-{size_slug(n)}.svg")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(svg)
                print(f"report.py: wrote {path}", file=sys.stderr)
                rel = os.path.relpath(path, out_dir).replace(os.sep, "/")
                md.append(f"\n![Time relative to imbl, n = {size_label(n)}]({rel})\n")
    if args.memory:
        with open(args.memory, encoding="utf-8") as f:
            md.append("\n### Memory\n\n" + f.read())
    text = "".join(md)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"report.py: wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
