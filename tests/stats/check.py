#!/usr/bin/env python3
"""Independent checker for `defidx stats`.

An independent reimplementation (standard library only) of the statistics that
docs/methodology.md ("Periods" and "Statistics") specifies, written apart from defidx's sources
from its specification: it takes the index levels from `defidx series -O csv`, recomputes every
figure of `defidx stats -O json` from them and compares. ctest runs it as stats_independent on
the bundled data/ with data/stoxx600.csv as the benchmark.

usage: python3 check.py DEFIDX_BINARY DATA_DIR [BENCHMARK_CSV]

Tolerance: 1e-9 relative, 1e-12 absolute near 0; null must match null. Prints each
mismatch as `figure: expected X, defidx Y`; exit 1 on any mismatch, else 0.
"""
import calendar, csv, io, json, math, os, subprocess, sys
from datetime import date

RF_BENCH, AS_OF_MID = 0.02, "2024-06-14"
TRAIL_MONTHS = {"3m": 3, "6m": 6, "1y": 12, "3y": 36, "5y": 60, "10y": 120}


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
    return p.stdout


def levels(csv_text, last_date):
    """(date, level) pairs from the first row of `series` to last_date, empty levels skipped."""
    rows = csv.DictReader(io.StringIO(csv_text))
    pairs = [(date.fromisoformat(r["date"]), r["level"]) for r in rows if r["level"].strip()]
    return [(d, float(l)) for d, l in pairs if d <= last_date]


# ---------------------------------------------------------------- building blocks
def mean(xs):
    return sum(xs) / len(xs)


def sd(xs):  # sample standard deviation (n - 1)
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def simple_returns(ls):
    return [ls[i] / ls[i - 1] - 1 for i in range(1, len(ls))]


def frequency(vals):
    gaps = sorted((vals[i][0] - vals[i - 1][0]).days for i in range(1, len(vals)))
    if not gaps:
        return "daily", 252
    n = len(gaps)
    med = gaps[n // 2] if n % 2 else (gaps[n // 2 - 1] + gaps[n // 2]) / 2
    for limit, name, f in ((4, "daily", 252), (10, "weekly", 52), (45, "monthly", 12), (120, "quarterly", 4)):
        if med <= limit:
            return name, f
    return "yearly", 1


def return_stats(rs, F, rf):
    """mean, vol, sharpe, sortino, best, worst, skew, kurtosis of one set of returns."""
    n = len(rs)
    s = dict.fromkeys(("mean", "vol", "sharpe", "sortino", "best", "worst", "skew", "kurtosis"))
    if n == 0:
        return s
    e = [r - rf / F for r in rs]
    s["mean"], s["best"], s["worst"] = mean(rs) * F, max(rs), min(rs)
    if n >= 2:
        s["vol"] = sd(rs) * math.sqrt(F)
        if sd(e) != 0:
            s["sharpe"] = mean(e) / sd(e) * math.sqrt(F)
    down = math.sqrt(mean([min(x, 0.0) ** 2 for x in e]))
    if down != 0:
        s["sortino"] = mean(e) * F / (down * math.sqrt(F))
    m = mean(rs)
    m2, m3, m4 = (sum((r - m) ** k for r in rs) for k in (2, 3, 4))
    if n >= 3 and m2 != 0:
        s["skew"] = n * math.sqrt(n - 1) / (n - 2) * m3 / m2 ** 1.5
    if n >= 4 and m2 != 0:
        s["kurtosis"] = (n * (n + 1) * (n - 1) * m4 / ((n - 2) * (n - 3) * m2 ** 2)
                         - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))
    return s


def group_ends(vals, by_month):
    """[((year, month or 0), index of the group's last value)] in date order."""
    ends = []
    for i, (d, _) in enumerate(vals):
        key = (d.year, d.month if by_month else 0)
        if ends and ends[-1][0] == key:
            ends.pop()
        ends.append((key, i))
    return ends


def cagr(vals):
    days = (vals[-1][0] - vals[0][0]).days
    return None if days == 0 else (vals[-1][1] / vals[0][1]) ** (365.25 / days) - 1


def last_before(vals, d, strict):
    """Index of the last value strictly before (or on or before) date d, None if none."""
    return max((i for i, (vd, _) in enumerate(vals) if vd < d or (not strict and vd == d)),
               default=None)


def trailing(vals, as_of):
    last_d, last_l = vals[-1]
    t = {}
    q_month = 3 * ((as_of.month - 1) // 3) + 1
    for name, start in (("mtd", date(as_of.year, as_of.month, 1)),
                        ("qtd", date(as_of.year, q_month, 1)), ("ytd", date(as_of.year, 1, 1))):
        b = last_before(vals, start, strict=True)
        t[name] = None if b is None else last_l / vals[b][1] - 1
    for name, months in TRAIL_MONTHS.items():
        y, m = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
        anchor = date(y, m + 1, calendar.monthrange(y, m + 1)[1])
        b = last_before(vals, anchor, strict=False)
        if b is None or b == len(vals) - 1:
            t[name] = None
        elif months <= 12:
            t[name] = last_l / vals[b][1] - 1
        else:
            t[name] = (last_l / vals[b][1]) ** (365.25 / (last_d - vals[b][0]).days) - 1
    t["incep"] = cagr(vals)
    return t


def drawdowns(vals):
    episodes, runmax, cur, maxdd = [], -math.inf, None, 0.0
    for d, l in vals:
        runmax = max(runmax, l)
        dd = l / runmax - 1
        maxdd = min(maxdd, dd)
        if l < runmax:
            if cur is None:
                cur = {"start": d, "trough": d, "end": None, "depth": dd}
            elif dd < cur["depth"]:
                cur["trough"], cur["depth"] = d, dd
        elif cur is not None:
            cur["end"] = d
            episodes.append(cur)
            cur = None
    if cur is not None:
        episodes.append(cur)
    for ep in episodes:
        ep["length_days"] = ((ep["end"] or vals[-1][0]) - ep["start"]).days
    return maxdd, episodes


def cal_returns(vals):
    years = []
    months_ends, year_ends = group_ends(vals, True), group_ends(vals, False)
    by_year = {}
    for j, ((y, m), i) in enumerate(months_ends):
        base = 0 if j == 0 else months_ends[j - 1][1]
        by_year.setdefault(y, [None] * 12)[m - 1] = None if i == 0 else vals[i][1] / vals[base][1] - 1
    for j, ((y, _), i) in enumerate(year_ends):
        if i == 0:
            continue  # a first year holding only the first value is left out
        base = 0 if j == 0 else year_ends[j - 1][1]
        years.append({"year": y, "months": by_year[y], "year_return": vals[i][1] / vals[base][1] - 1})
    return years


def share_positive(rs):
    return sum(r > 0 for r in rs) / len(rs) if rs else None


def iso(d):
    return d.isoformat() if d else None


def expected_stats(vals, as_of, rf):
    ls = [l for _, l in vals]
    fname, F = frequency(vals)
    monthly = simple_returns([ls[i] for _, i in group_ends(vals, True)])
    yearly = simple_returns([ls[i] for _, i in group_ends(vals, False)])
    maxdd, eps = drawdowns(vals)
    g = cagr(vals)
    return {
        "schema": "defidx.stats/1", "start": iso(vals[0][0]), "end": iso(as_of),
        "observations": len(vals), "frequency": fname, "periods_per_year": F, "risk_free": rf,
        "total_return": ls[-1] / ls[0] - 1 if len(ls) > 1 else None, "cagr": g,
        "max_drawdown": maxdd,
        "calmar": None if maxdd == 0 or g is None else g / abs(maxdd),
        "period": return_stats(simple_returns(ls), F, rf),
        "monthly": return_stats(monthly, 12, rf), "yearly": return_stats(yearly, 1, rf),
        "trailing": trailing(vals, as_of),
        "drawdowns": [{"start": iso(e["start"]), "trough": iso(e["trough"]), "end": iso(e["end"]),
                       "length_days": e["length_days"], "depth": e["depth"]} for e in eps],
        "avg_drawdown": mean([e["depth"] for e in eps]) if eps else None,
        "avg_drawdown_days": mean([e["length_days"] for e in eps]) if eps else None,
        "calendar": cal_returns(vals),
        "win_months": share_positive(monthly), "win_years": share_positive(yearly),
    }, F


def expected_benchmark(vals, bvals_all, as_of, F, rf, name, index_trailing):
    first_d, last_d = vals[0][0], vals[-1][0]
    start = last_before(bvals_all, first_d, strict=False) or 0
    bvals = [v for v in bvals_all[start:] if v[0] <= last_d]
    bmap, imap = dict(bvals), dict(vals)
    common = [d for d, _ in vals if d in bmap]
    r = simple_returns([imap[d] for d in common])
    b = simple_returns([bmap[d] for d in common])
    # the pairs are as frequent as the common dates: F of their gaps (the runs give no F)
    F = frequency([(d, None) for d in common])[1]
    out = {"name": name, "common_dates": len(common), "periods_per_year": F,
           "start": iso(bvals[0][0]) if bvals else None, "end": iso(bvals[-1][0]) if bvals else None}
    out.update(dict.fromkeys(("beta", "correlation", "tracking_error", "information_ratio",
                              "alpha", "up_capture", "down_capture")))
    n = len(r)
    if n >= 2:
        mr, mb = mean(r), mean(b)
        cov = sum((x - mr) * (y - mb) for x, y in zip(r, b)) / (n - 1)
        if sd(r) != 0 and sd(b) != 0:
            out["beta"] = cov / sd(b) ** 2
            out["correlation"] = cov / (sd(r) * sd(b))
            out["alpha"] = (mr - rf / F - out["beta"] * (mb - rf / F)) * F
        diff = [x - y for x, y in zip(r, b)]
        te = sd(diff) * math.sqrt(F)
        out["tracking_error"] = te
        out["information_ratio"] = mean(diff) * F / te if te != 0 else None
    for key, sel in (("up_capture", lambda y: y > 0), ("down_capture", lambda y: y <= 0)):
        pairs = [(x, y) for x, y in zip(r, b) if sel(y)]
        if pairs:
            den = math.prod(1 + y for _, y in pairs) - 1
            out[key] = (math.prod(1 + x for x, _ in pairs) - 1) / den if den != 0 else None
    bt = trailing(bvals, as_of)
    if bvals[-1][0] != last_d:  # it ends before the index: another period, no trailing returns
        bt = dict.fromkeys(bt)
    if bvals[0][0] > first_d:
        bt["incep"] = None
    out["trailing"] = bt
    out["difference"] = {k: None if index_trailing[k] is None or bt[k] is None
                         else index_trailing[k] - bt[k] for k in bt}
    return out


# ---------------------------------------------------------------- comparison
class Comparer:
    def __init__(self):
        self.count, self.mismatches, self.unchecked = 0, [], set()
        self.worst = (0.0, "")  # largest relative difference among numeric figures

    def leaf(self, path, exp, got):
        self.count += 1
        ok = exp == got
        if isinstance(exp, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
            ok = abs(exp - got) <= max(1e-9 * max(abs(exp), abs(got)), 1e-12)
            self.worst = max(self.worst, (abs(exp - got) / max(abs(exp), abs(got), 1e-300), path))
        if not ok:
            self.mismatches.append("%s: expected %s, defidx %s" % (path, json.dumps(exp), json.dumps(got)))

    def walk(self, path, exp, got):
        if isinstance(exp, dict) and isinstance(got, dict):
            for k in exp:
                self.walk("%s.%s" % (path, k) if path else k, exp[k], got.get(k, "<missing>"))
            self.unchecked.update("%s.%s" % (path, k) if path else k for k in got if k not in exp)
        elif isinstance(exp, list) and isinstance(got, list):
            if len(exp) != len(got):
                self.mismatches.append("%s: expected %d entries, defidx %d" % (path, len(exp), len(got)))
            for i, (e, g) in enumerate(zip(exp, got)):
                self.walk("%s[%d]" % (path, i), e, g)
        elif isinstance(exp, (dict, list)) or isinstance(got, (dict, list)):
            self.count += 1
            self.mismatches.append("%s: expected %s, defidx %s" % (path, json.dumps(exp), json.dumps(got)))
        else:
            self.leaf(path, exp, got)


def bench_name(path):
    """The ticker of a long CSV, else the file name without its extension."""
    with open(path, newline="") as f:
        row = {k.lower(): v for k, v in next(csv.DictReader(f)).items()}
    return row.get("ticker") or row.get("symbol") or os.path.splitext(os.path.basename(path))[0]


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    exe, data = sys.argv[1], sys.argv[2]
    bench = sys.argv[3] if len(sys.argv) == 4 else None
    common = ["--index", os.path.join(data, "index.json"), "--fx", os.path.join(data, "fx.csv")]
    prices = os.path.join(data, "prices.csv")
    series_csv = run([exe, "series", "-O", "csv"] + common + [prices])
    all_vals = levels(series_csv, date.max)
    with open(os.path.join(data, "index.json")) as f:
        idx = json.load(f)
    runs = [("default", [], False), ("as-of " + AS_OF_MID, ["--as-of", AS_OF_MID], False)]
    if bench:
        runs += [("benchmark", [], True), ("benchmark, as-of " + AS_OF_MID, ["--as-of", AS_OF_MID], True)]
    total, bad = 0, 0
    for label, extra, with_bench in runs:
        opts = extra + (["--benchmark", bench, "--risk-free", str(RF_BENCH)] if with_bench else [])
        got = json.loads(run([exe, "stats", "-O", "json"] + common + opts + [prices]))
        as_of = date.fromisoformat(extra[1]) if extra else all_vals[-1][0]
        vals = levels(series_csv, as_of)
        rf = RF_BENCH if with_bench else 0
        exp, F = expected_stats(vals, as_of, rf)
        exp["name"], exp["currency"] = idx.get("name"), idx.get("currency", "EUR")
        exp["benchmark"] = None
        if with_bench:
            bcsv = run([exe, "series", "-O", "csv", "--weighting", "price", "--currency", "EUR",
                        "--as-of", as_of.isoformat(), bench])
            exp["benchmark"] = expected_benchmark(vals, levels(bcsv, date.max), as_of, F, rf,
                                                  bench_name(bench), exp["trailing"])
        c = Comparer()
        c.walk("", exp, got)
        print("== %s: %d figures compared, %d mismatches" % (label, c.count, len(c.mismatches)))
        print("  largest relative difference: %.3g (%s)" % c.worst)
        for m in c.mismatches:
            print("  " + m)
        others = sorted(k for k in c.unchecked if k != "warnings")
        if others:
            print("  (keys in defidx output not checked: %s)" % ", ".join(others))
        total, bad = total + c.count, bad + len(c.mismatches)
    print("total: %d figures compared, %d mismatches" % (total, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
