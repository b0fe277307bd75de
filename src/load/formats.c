/* formats.c: the price-file shapes the loaders recognise and how, for `defidx formats` and the docs.
 * The rules live in load_csv.c (CSV: by the role of each header column) and load_json.c (JSON: by
 * the top-level structure); this table describes them for people, in the order they are tried. */
#include "internal.h"

static const defidx_format_info formats[] = {
    {"long", "date,ticker,close[,currency,shares,free_float]",
     "CSV with a ticker (or symbol) column: one row per ticker and date (defidx's own)"},
    {"stoxx", "Date;Symbol;Indexvalue / 17.02.2025;SXAP;1501.25;",
     "CSV with Symbol and Indexvalue columns: a long file; a trailing ; is ignored"},
    {"yahoo", "Date,Open,High,Low,Close,Adj Close,Volume",
     "CSV with Date and Close and no ticker column: one instrument; --price-field adj_close picks Adj Close"},
    {"stooq", "Date,Open,High,Low,Close,Volume", "as yahoo, without Adj Close"},
    {"stooq-pl", "Data,Otwarcie,Najwyzszy,Najnizszy,Zamkniecie,Wolumen",
     "CSV with Data and Zamkniecie: one instrument; a file saying only 'Brak danych' is refused"},
    {"ariva", "sep=; / Datum;Erster;Hoch;Tief;Schlusskurs;Stuecke;Volumen",
     "CSV with Datum and Schlusskurs (or Schluss, Kurs): one instrument; 1.234,56 numbers"},
    {"investing", "\"Date\",\"Price\",\"Open\",\"High\",\"Low\",\"Vol.\",\"Change %\"",
     "CSV with Date and Price and no ticker column: one instrument; Price is the close"},
    {"wide", "date,RHM.DE,BA.L,...", "CSV with a date column and no close or ticker column: every other column is a ticker"},
    {"ecb", "Date,USD,JPY,...,", "a wide file of currencies; N/A is missing, the trailing comma ignored"},
    {"records", "[{\"date\":...,\"ticker\":...,\"close\":...}]", "JSON array whose first object has a ticker (defidx's own)"},
    {"eod", "[{\"date\":...,\"close\":...,\"adjusted_close\":...}]",
     "JSON array whose first object has no ticker: one instrument (EOD Historical Data)"},
    {"series", "{\"RHM.DE\":[{\"date\":...,\"close\":...}]}", "JSON object of arrays, one per ticker (defidx's own)"},
    {"alphavantage", "{\"Meta Data\":{\"2. Symbol\":...},\"Time Series (Daily)\":{...}}",
     "JSON object with a \"Time Series\" object; the ticker from 2. Symbol; 4. close or 5. adjusted close"},
    {"twelvedata", "{\"meta\":{\"symbol\":...,\"currency\":...},\"values\":[...]}",
     "JSON object with meta and values; ticker and currency from meta"},
};

const defidx_format_info *defidx_formats(size_t *count)
{
    *count = sizeof formats / sizeof formats[0];
    return formats;
}
