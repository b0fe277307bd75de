"""The benchmark's job in a dataframe tool, for comparison with defidx (bench/run.sh runs it).

    python3 bench/ref.py polars|duckdb|pandas PRICES FX SINCE

The job: read the long CSV (date,ticker,close,currency,shares) and the ECB-shaped FX file, convert
every close to EUR (GBX = GBP x 100), and chain a market-cap index (each day's ratio
sum(p_t q_prev) / sum(p_prev q_prev) over the instruments priced that day and at their previous
row) and an equal-weight one (the mean of p_t / p_prev), then print each level with its YTD,
week-to-date and since-SINCE returns. It is the same work as defidx's (parse, FX, group by date,
cumulate, period bases), not the same numbers to the last bit: defidx carries a missing close
forward and keeps its divisor through listings, this takes each instrument's previous row.
"""
import datetime as dt
import sys


def periods(dates, levels, since):
    """Prints the last level and the YTD, WTD and since returns of a chained series."""
    last = dates[-1]
    jan1 = dt.date(last.year, 1, 1)
    monday = last - dt.timedelta(days=last.weekday())

    def base(pred):
        i = max((k for k, d in enumerate(dates) if pred(d)), default=None)
        return None if i is None else levels[i]

    out = [f"{levels[-1]:.10g}"]
    for name, b in (("ytd", base(lambda d: d < jan1)), ("wtd", base(lambda d: d < monday)),
                    ("since", base(lambda d: d <= since))):
        out.append(f"{name}={'null' if b is None else f'{levels[-1] / b - 1:.6g}'}")
    return " ".join(out)


def chain(dates, ratios):
    """Levels from 100 by the day's ratio (1 where a day has none: the first)."""
    level, out = 100.0, []
    for d in dates:
        level *= ratios.get(d, 1.0)
        out.append(level)
    return out


def as_date(x):
    return x.date() if isinstance(x, dt.datetime) else x


def run_polars(prices, fx, since):
    import polars as pl
    px = pl.read_csv(prices, try_parse_dates=True)
    f = pl.read_csv(fx, try_parse_dates=True).select("Date", "USD", "GBP", "SEK")
    rates = pl.concat([
        f.select(pl.col("Date").alias("date"), pl.lit(c).alias("currency"),
                 (pl.col(src) * m).cast(pl.Float64).alias("rate"))
        for c, src, m in (("USD", "USD", 1), ("GBX", "GBP", 100), ("SEK", "SEK", 1))
    ] + [f.select(pl.col("Date").alias("date"), pl.lit("EUR").alias("currency"),
                  pl.lit(1.0).alias("rate"))])
    px = (px.join(rates, on=["date", "currency"], how="left")
            .with_columns((pl.col("close") / pl.col("rate")).alias("p"))
            .sort(["ticker", "date"])
            .with_columns(pl.col("p").shift(1).over("ticker").alias("pp"),
                          pl.col("shares").shift(1).over("ticker").alias("qp")))
    agg = (px.drop_nulls("pp").group_by("date")
             .agg(((pl.col("p") * pl.col("qp")).sum() / (pl.col("pp") * pl.col("qp")).sum()).alias("rm"),
                  (pl.col("p") / pl.col("pp")).mean().alias("re")))
    dates = sorted(as_date(d) for d in px.get_column("date").unique().to_list())
    rows = agg.rows()
    return dates, {as_date(d): rm for d, rm, _ in rows}, {as_date(d): re for d, _, re in rows}


def run_duckdb(prices, fx, since):
    import duckdb
    con = duckdb.connect()
    q = f"""
    WITH f AS (SELECT "Date" AS date, USD, GBP, SEK FROM read_csv_auto('{fx}')),
    rates AS (SELECT date, 'USD' AS currency, USD AS rate FROM f
              UNION ALL SELECT date, 'GBX', GBP * 100 FROM f
              UNION ALL SELECT date, 'SEK', SEK FROM f
              UNION ALL SELECT date, 'EUR', 1.0 FROM f),
    px AS (SELECT p.date, p.ticker, p.close / r.rate AS p, p.shares
           FROM read_csv_auto('{prices}') p JOIN rates r USING (date, currency)),
    l AS (SELECT date, p, lag(p) OVER w AS pp, lag(shares) OVER w AS qp
          FROM px WINDOW w AS (PARTITION BY ticker ORDER BY date))
    SELECT date, sum(p * qp) / sum(pp * qp), avg(p / pp), count(pp) FROM l GROUP BY date ORDER BY date
    """
    rows = con.execute(q).fetchall()
    dates = [as_date(r[0]) for r in rows]
    return (dates, {as_date(d): rm for d, rm, _, n in rows if n},
            {as_date(d): re for d, _, re, n in rows if n})


def run_pandas(prices, fx, since):
    import pandas as pd
    px = pd.read_csv(prices, parse_dates=["date"])
    f = pd.read_csv(fx, usecols=["Date", "USD", "GBP", "SEK"], parse_dates=["Date"])
    f = f.rename(columns={"Date": "date"})
    rates = pd.concat([
        f[["date"]].assign(currency="USD", rate=f["USD"]),
        f[["date"]].assign(currency="GBX", rate=f["GBP"] * 100),
        f[["date"]].assign(currency="SEK", rate=f["SEK"]),
        f[["date"]].assign(currency="EUR", rate=1.0),
    ])
    px = px.merge(rates, on=["date", "currency"], how="left")
    px["p"] = px["close"] / px["rate"]
    px = px.sort_values(["ticker", "date"], kind="stable")
    g = px.groupby("ticker", sort=False)
    px["pp"] = g["p"].shift()
    px["qp"] = g["shares"].shift()
    d = px.dropna(subset=["pp"])
    agg = d.assign(a=d["p"] * d["qp"], b=d["pp"] * d["qp"], r=d["p"] / d["pp"]).groupby("date").agg(
        a=("a", "sum"), b=("b", "sum"), r=("r", "mean"))
    dates = sorted(d.date() for d in pd.to_datetime(px["date"].unique()))
    rm = {k.date(): v for k, v in (agg["a"] / agg["b"]).items()}
    re = {k.date(): v for k, v in agg["r"].items()}
    return dates, rm, re


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("polars", "duckdb", "pandas"):
        sys.exit("usage: ref.py polars|duckdb|pandas PRICES FX SINCE")
    engine, prices, fx, since = sys.argv[1:]
    since = dt.date.fromisoformat(since)
    dates, rm, re = globals()["run_" + engine](prices, fx, since)
    print("mcap", periods(dates, chain(dates, rm), since))
    print("equal", periods(dates, chain(dates, re), since))


if __name__ == "__main__":
    main()
