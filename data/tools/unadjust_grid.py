#!/usr/bin/env python3
"""unadjust_grid.py REDART_CSV FROM TO EXDATE... (python3, standard library only)

How the HO.PA factors in extract.sh were found (documentation tool, not part of the build).
Yahoo's dividend-adjusted Close is Close * k, k constant between two ex-dividend dates. The true
Close lies on Euronext's tick grid (0.02 below 100 EUR, 0.05 above). For each period between the
given (approximate) ex-dates it finds the k that puts the most closes of the period on the grid
(candidates k = adjusted/gridpoint for the first days), moves each ex-date by up to 6 trading days
to maximise the number of on-grid closes, and prints: first day, last day, k, on-grid/total.
The last period (after the last ex-date) must be unadjusted (k = 1).
Example: python3 data/tools/unadjust_grid.py tests/realdata/redart/HO.PA.csv 2021-11-01 \
  2025-05-12 2021-12-02 2022-05-17 2022-12-08 2023-05-15 2023-12-04 2024-05-20 2024-12-02
(takes about 2 minutes)."""
import bisect, csv, sys

path, lo, hi, E = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rd = {}
for row in csv.reader(open(path)):
    if row[0] != 'Date' and row[4] not in ('', 'null'):
        rd[row[0]] = float(row[4])
ds = sorted(d for d in rd if lo <= d <= hi)

def tick(p): return 0.05 if p >= 100 else 0.02
def on_grid(v, k, tol=0.1):
    p = v / k; x = p / tick(p); return abs(x - round(x)) < tol
def best_k(dd, klo=0.85, khi=1.0):
    best = (0, 1.0)
    for a in dd[:6]:
        v = rd[a]; p = round(v / tick(v)) * tick(v)
        while p <= v / klo + 1e-9:
            k = v / p
            if klo <= k <= khi:
                s = sum(on_grid(rd[d], k) for d in dd)
                if s > best[0]: best = (s, k)
            p += tick(p)
    return best[1], best[0]
def periods(E):
    b = [0] + [bisect.bisect_left(ds, e) for e in E] + [len(ds)]
    return [ds[b[i]:b[i + 1]] for i in range(len(b) - 1)]
def fit(E):
    S = periods(E)
    return [best_k(s) if i < len(S) - 1 else (1.0, sum(on_grid(rd[d], 1.0) for d in s))
            for i, s in enumerate(S)]
for _ in range(2):
    for j in range(len(E)):
        i0 = bisect.bisect_left(ds, E[j]); best = None
        for sh in range(-6, 7):
            EE = E[:]; EE[j] = ds[i0 + sh]
            if sorted(EE) != EE: continue
            sc = sum(c for k, c in fit(EE)[j:j + 2])
            if best is None or sc > best[0]: best = (sc, EE[j])
        E[j] = best[1]
for s, (k, c) in zip(periods(E), fit(E)):
    print(s[0], s[-1], '%.7f' % k, '%d/%d' % (c, len(s)))
