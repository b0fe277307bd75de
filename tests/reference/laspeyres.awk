# laspeyres.awk: an independent reference for the bundled index, written without looking at the C
# engine's code paths: a free-float market-cap Laspeyres index in EUR with no reviews.
#
# Input (one stream, sorted by date, then by tag): lines "DATE,F,CCY,RATE" (ECB rate of CCY per EUR)
# and "DATE,P,TICKER,CLOSE,CCY" (a close). Variables: members = "TICKER:SHARES:FF:UNIT;...",
# base = the base date. Output: "DATE,LEVEL" for every date with a price from the base date on.
BEGIN {
    FS = ","
    n = split(members, list, ";")
    for (i = 1; i <= n; i++) {
        if (list[i] == "") continue
        split(list[i], f, ":")
        qty[f[1]] = f[2] * f[3]
        unit[f[1]] = f[4]
    }
    rate["EUR"] = 1
}
function flush(   t, s) {
    if (day == "" || day < base) return
    s = 0
    for (t in qty) {
        if (!(t in last)) { missing = t; return }
        s += last[t] * unit[t] / rate[iso[t]] * qty[t]
    }
    if (s0 == 0) s0 = s
    printf "%s,%.12g\n", day, 100 * s / s0
}
$2 == "F" { if ($1 != day) { flush(); day = ""; } rate[$3] = $4; next }
$2 == "P" {
    if ($1 != day) { flush(); day = $1 }
    last[$3] = $4
    iso[$3] = ($5 == "GBX" || $5 == "GBp") ? "GBP" : $5
}
END { flush() }
