#!/usr/bin/env python3
"""Independent checker for `defidx compute --by country|currency|segment`.

Recomputes the breakdowns of the bundled demo (data/index.json) from the "constituents" array of
`defidx compute -O json` alone (standard library only, written apart from defidx's sources from
docs/defidx.1, BREAKDOWNS) and compares them with defidx's "breakdowns", for several as-of dates.
defidx's breakdowns are only ever compared with, never used to compute an expectation.
ctest runs it as breakdown_independent.

usage: python3 check.py DEFIDX_BINARY REPO_ROOT

Prints `ok AS_OF KEY: N groups, M periods` per as-of date and key; exits 1 at the first mismatch.
"""
import json, math, subprocess, sys

AS_OFS = ["2025-02-20", "2025-02-21", "2024-12-31", "2023-06-30", None]  # None: the last date
KEYS = ("country", "currency", "segment")
PENCE = {"GBX": "GBP", "GBP": "GBP", "ZAC": "ZAR", "ILA": "ILS"}  # GBp upper-cases to GBP


def fail(where, msg):
    sys.exit("MISMATCH %s: %s" % (where, msg))


def close(a, b, rel, abs_tol):
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_tol)


def expect_close(where, exp, got, rel=0.0, abs_tol=1e-12):
    """exp and got both null, or both numbers within the tolerance."""
    if exp is None or got is None:
        if exp is not got:
            fail(where, "expected %s, defidx %s" % (json.dumps(exp), json.dumps(got)))
    elif not isinstance(got, (int, float)) or not close(exp, got, rel, abs_tol):
        fail(where, "expected %r, defidx %r" % (exp, got))


def group_of(key, c):
    """The group a constituent falls in (docs/defidx.1, BREAKDOWNS)."""
    if key == "currency":
        code = c["currency"].upper()
        return PENCE.get(code, code)
    return c[key] if c[key] is not None else "unknown"


def base_weight(c, period, R):
    """The member's value at the period's base as a share of the index level there.

    The demo has no reviews and is a price return index without actions, so over any period the
    quantities q_i and the divisor D are constant. With H_i = q_i p_i / D (p_i in the index
    currency) the level is L = sum H_i and
        w_i = H_i(asof) / L(asof),    c_i = (H_i(asof) - H_i(base)) / L(base)
    (the contribution's daily sum telescopes). Since L(asof) = L(base) (1 + R):
        wb_i = H_i(base) / L(base) = H_i(asof) / L(base) - c_i = w_i (1 + R) - c_i.
    A group's sub-index is sum_G H_i, so its return is
        sum_G H_i(asof) / sum_G H_i(base) - 1 = sum_G (wb_i + c_i) / sum_G wb_i - 1
                                              = sum_G c_i / sum_G wb_i.
    """
    return c["weight"] * (1 + R) - c["contribution"][period]


def check_assumption(cons, R_of, label):
    """The constant q_i and D the formula rests on, seen in the constituents themselves: for a EUR
    member (no FX) r_i = H_i(asof) / H_i(base) - 1, so c_i / r_i must be the same wb_i."""
    for c in cons:
        for p, R in R_of.items():
            r = c["returns"][p]
            if c["currency"] == "EUR" and R is not None and r is not None and abs(r) > 1e-6:
                expect_close("%s %s %s: base weight c/r against w(1+R)-c" % (label, c["ticker"], p),
                             base_weight(c, p, R), c["contribution"][p] / r, 1e-9)


def expected_groups(key, cons, R_of):
    groups = {}
    # members by weight descending; a tie keeps the constituents' order (sort is stable)
    for c in sorted(cons, key=lambda c: -c["weight"]):
        groups.setdefault(group_of(key, c), []).append(c)
    out = []
    for name, members in groups.items():
        g = {"group": name, "weight": sum(c["weight"] for c in members),
             "members": [c["ticker"] for c in members], "returns": {}, "contribution": {},
             "_members": members}
        for p, R in R_of.items():
            g["contribution"][p] = sum(c["contribution"][p] for c in members)
            wb = None if R is None else sum(base_weight(c, p, R) for c in members)
            # null for a null period and for a group that held nothing at the base
            g["returns"][p] = None if wb is None or abs(wb) < 1e-12 else g["contribution"][p] / wb
        out.append(g)
    out.sort(key=lambda g: (-g["weight"], g["group"]))  # weight descending, ties by name
    return out


def check_key(key, exp, got, R_of, label):
    where = "%s %s" % (label, key)
    if [g.get("group") for g in got] != [g["group"] for g in exp]:
        fail(where, "groups (in order) expected %s, defidx %s"
             % ([g["group"] for g in exp], [g.get("group") for g in got]))
    for e, g in zip(exp, got):
        w = "%s %s" % (where, e["group"])
        if set(g) != {"group", "weight", "members", "returns", "contribution"}:
            fail(w, "keys %s" % sorted(g))
        if g["members"] != e["members"]:
            fail(w, "members expected %s, defidx %s" % (e["members"], g["members"]))
        expect_close(w + " weight", e["weight"], g["weight"])
        for field in ("returns", "contribution"):
            if set(g[field]) != set(R_of):
                fail(w, "%s keyed %s, periods are %s" % (field, sorted(g[field]), sorted(R_of)))
        for p in R_of:
            expect_close("%s contribution[%s]" % (w, p), e["contribution"][p], g["contribution"][p])
            expect_close("%s returns[%s]" % (w, p), e["returns"][p], g["returns"][p], 1e-9)
        # one EUR member: the sub-index is that stock, its return the stock's own (quote currency)
        if len(e["_members"]) == 1 and e["_members"][0]["currency"] == "EUR":
            for p, r in e["_members"][0]["returns"].items():
                if R_of[p] is not None:
                    expect_close("%s returns[%s] against %s's own" % (w, p, e["members"][0]),
                                 r, g["returns"][p], 1e-9)
    # the groups' contributions add up to the index's return (they partition the constituents)
    for p, R in R_of.items():
        if R is not None:
            expect_close("%s sum of contributions[%s] against the index's return" % (where, p),
                         R, math.fsum(g["contribution"][p] for g in got), 0.0, 1e-10)
    expect_close(where + " sum of weights", 1.0, math.fsum(g["weight"] for g in got), 0.0, 1e-12)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    exe, root = sys.argv[1], sys.argv[2]
    for as_of in AS_OFS:
        cmd = [exe, "compute", "--index", root + "/data/index.json", "-O", "json"]
        cmd += ["--as-of", as_of] if as_of else []
        for key in KEYS:
            cmd += ["--by", key]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit("command failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr))
        out = json.loads(proc.stdout)
        label = as_of or "last (%s)" % out["as_of"]
        R_of = out["returns"]
        if [p["name"] for p in out["periods"]] != list(R_of):
            fail(label, "periods %s, returns keyed %s" % ([p["name"] for p in out["periods"]], list(R_of)))
        cons = out["constituents"]
        check_assumption(cons, R_of, label)
        if set(out.get("breakdowns", {})) != set(KEYS):
            fail(label, "breakdowns keyed %s" % sorted(out.get("breakdowns", {})))
        for key in KEYS:
            check_key(key, expected_groups(key, cons, R_of), out["breakdowns"][key], R_of, label)
            print("ok %s %s: %d groups, %d periods" % (label, key, len(out["breakdowns"][key]), len(R_of)))


if __name__ == "__main__":
    main()
