/* help.c: defidx --help and each command's --help. A command's help fits on one screen (under 40
 * lines): what it does, its own options, examples; the options every command shares are in the
 * general help and in defidx(1). */
#include "help.h"

#include <stdio.h>
#include <string.h>

static const char general_commands[] =
    "Usage: defidx COMMAND [OPTIONS] PRICES...\n"
    "\n"
    "Computes a STOXX-style equity index (Laspeyres, with a divisor) from constituents' prices and\n"
    "reports its returns. PRICES are CSV or JSON files, or - for standard input.\n"
    "\n"
    "Commands (defidx help COMMAND, or defidx COMMAND --help, for each):\n"
    "  compute     index level, period returns (1d, wtd, mtd, ytd, since), constituents\n"
    "  series      one row per date: date, level, divisor, constituents\n"
    "  rebase      each constituent's price rebased to 100 at --base-date (wide)\n"
    "  divisors    every divisor change: date, old and new divisor, market value, reason\n"
    "  check       validate the inputs and their freshness; silent on success\n"
    "  chart       the level over time as an SVG chart\n"
    "  report      a dated report bundle for cron: text, Markdown, HTML, CSV, JSON, SVG\n"
    "  formats     list the price-file shapes defidx recognises and how\n"
    "  completion  print the bash, zsh or fish completion script\n"
    "\n";

/* Split from general_commands: C11 promises string literals of 4095 bytes only. */
static const char general_options[] =
    "Options for every command that computes:\n"
    "  --index FILE        index definition (JSON): constituents, shares, free float, reviews\n"
    "  --weighting W       ffmcap, mcap, equal, price or fixed (default: ffmcap when shares\n"
    "                      are known, else equal)\n"
    "  --base-date DATE    where the index is based (default: the definition's, else the\n"
    "                      first date on which every constituent has a price)\n"
    "  --base-value X      the level at the base date (default 100)\n"
    "  --as-of DATE        the day reported on (default: the last date of the prices)\n"
    "  --since DATE        a 'since' period, repeatable (default 2022-02-23)\n"
    "  --fx FILE           FX rates, ECB eurofxref-hist.csv shape\n"
    "  --currency CCY      index currency (default: the definition's, else the one currency\n"
    "                      of all constituents, else EUR)\n"
    "  --ticker-currency SYM=CCY  a constituent's quote currency, repeatable (default: the\n"
    "                      definition's, the prices', else the exchange suffix: .L GBX, ...)\n"
    "  --rebalance R       none, monthly or quarterly (after the close of the third Friday)\n"
    "  --return T          price, net or gross (dividends from --actions reinvested)\n"
    "  --actions FILE      corporate actions and dividends (CSV: date,ticker,type,value,value2)\n"
    "  --max-gap N         a price carried over more than N trading days is stale: warned,\n"
    "                      marked, and exit 65 from check and report (default 5)\n"
    "  --max-jump X        warn about a close that moves more than X (0.5 = 50%, the\n"
    "                      default) and back the next day: a spike\n"
    "  --ticker SYM        the ticker of a single-instrument file (default: the data, else the\n"
    "                      file name)\n"
    "  --price-field F     close or adj_close (Yahoo's Adj Close, EOD's adjusted_close)\n"
    "  --delimiter D       , ; | or tab (default: sniffed from the header)\n"
    "  --decimal-mark M    . or , (default: decided from the data)\n"
    "  --date-format FMT   e.g. %d.%m.%Y or %m/%d/%Y (default: recognised)\n"
    "  -O FMT              table, tsv, csv, json, md or html (default: $DEFIDX_FORMAT, else\n"
    "                      table on a terminal and tsv in a pipe)\n"
    "  -o FILE             write to FILE atomically; its extension picks the format (.txt\n"
    "                      table, .tsv, .csv, .json, .md, .html; another is refused without\n"
    "                      -O); - is stdout\n"
    "  --no-header         leave out the header row\n"
    "  --color WHEN        auto, always or never (default auto: a table on a terminal only,\n"
    "                      never with NO_COLOR or TERM=dumb)\n"
    "  -q, -v              fewer / more diagnostics on stderr\n"
    "  --help, --version\n"
    "\n"
    "Examples:\n"
    "  defidx compute --index data/index.json --fx data/fx.csv data/prices.csv\n"
    "  defidx compute --fx data/fx.csv --index data/index.json -O json data/prices.csv | jq .level\n"
    "  defidx series --index data/index.json --fx data/fx.csv -o levels.csv data/prices.csv\n"
    "  defidx report --out-dir reports --max-age 3 --index data/index.json --fx data/fx.csv \\\n"
    "      data/prices.csv\n"
    "\n"
    "Exit status: 0 ok, 64 bad command line, 65 bad data, 66 missing or empty input,\n"
    "73/74 output cannot be created/written, 75 data older than --max-age, 70 internal error.\n"
    "A table fits the terminal (COLUMNS, else its width). See defidx(1).\n";

typedef struct command_help {
    const char *name;
    const char *text;
} command_help;

static const command_help commands[] = {
    {"compute",
     "Usage: defidx compute [OPTIONS] PRICES...\n"
     "\n"
     "Computes the index and reports, as of the last date (or --as-of): the level, its returns\n"
     "over 1d, wtd, mtd, ytd and each --since period with their base dates, the all-time high\n"
     "and the drawdown from it, and each constituent's price, weight, returns and contribution.\n"
     "\n"
     "Period bases: 1d the previous date; wtd the last date before Monday of the as-of date's\n"
     "week; mtd before the 1st of the month; ytd before 1 January; since:D on D or the last date\n"
     "before it (default 2022-02-23, the last close before the invasion of Ukraine).\n"
     "\n"
     "A table fits the terminal (COLUMNS, else its width): columns are left out, contributions\n"
     "first, then returns from the oldest; a line under it says which. A price carried over more\n"
     "than --max-gap business days is marked * and explained under the table.\n"
     "\n"
     "Options of its own:\n"
     "  --spark             a trend column in the table: a sparkline of the last 20 trading\n"
     "                      days to the as-of date (ASCII when the locale is not UTF-8)\n"
     "  --columns LIST      the constituents' columns, comma-separated, in every format but\n"
     "                      json: ticker, name, currency, price, price_date, stale, weight,\n"
     "                      trend, a period (1d wtd mtd ytd since:D), contrib_ and a period\n"
     "  -O FMT              table, tsv, csv, json, md or html\n"
     "  --no-header         leave out the header rows\n"
     "  --color WHEN        auto, always or never\n"
     "Every computing option of defidx --help applies (--index, --fx, --as-of, --since, ...).\n"
     "\n"
     "Examples:\n"
     "  defidx compute --index data/index.json --fx data/fx.csv data/prices.csv\n"
     "  defidx compute --spark --index data/index.json --fx data/fx.csv data/prices.csv\n"
     "  defidx compute --columns ticker,weight,ytd,contrib_ytd -O csv --index data/index.json \\\n"
     "      --fx data/fx.csv data/prices.csv\n"
     "  defidx compute --weighting equal --since 2024-01-01 --as-of 2025-02-14 prices.csv\n"
     "  defidx compute --fx data/fx.csv --index data/index.json -O json data/prices.csv | jq .level\n"
     "  defidx compute --index data/index.json --fx data/fx.csv -o returns.html data/prices.csv\n"},
    {"series",
     "Usage: defidx series [OPTIONS] PRICES...\n"
     "\n"
     "Writes one row per date from the base date to the last date of the prices: date, level,\n"
     "divisor, the number of constituents and the return type.\n"
     "\n"
     "Every computing option of defidx --help applies; -O, -o and --no-header choose the output.\n"
     "\n"
     "Examples:\n"
     "  defidx series --index data/index.json --fx data/fx.csv -o levels.csv data/prices.csv\n"
     "  defidx series --index data/index.json --fx data/fx.csv data/prices.csv | tail -n 5\n"
     "  defidx series --return gross --actions data/actions.csv --index data/index.json \\\n"
     "      --fx data/fx.csv -O json data/prices.csv\n"},
    {"rebase",
     "Usage: defidx rebase [OPTIONS] PRICES...\n"
     "\n"
     "Writes each constituent's price rebased to 100 at --base-date, in its quote currency:\n"
     "one row per date, one column per ticker (the wide shape spreadsheets chart).\n"
     "\n"
     "Options: --base-date DATE (default: the first date), the input options of defidx --help,\n"
     "-O, -o and --no-header.\n"
     "\n"
     "Examples:\n"
     "  defidx rebase --base-date 2022-02-23 -O csv RHM.DE.csv BA.L.csv\n"
     "  defidx rebase --base-date 2024-12-31 -o rebased.csv data/prices.csv\n"},
    {"divisors",
     "Usage: defidx divisors [OPTIONS] PRICES...\n"
     "\n"
     "Writes the divisor's audit trail: every change with its date, the first date computed\n"
     "with it, the old and new divisor, the market value before and after, and the reason\n"
     "(base, review, rebalance, or the corporate action).\n"
     "\n"
     "Every computing option of defidx --help applies; -O, -o and --no-header choose the output.\n"
     "\n"
     "Examples:\n"
     "  defidx divisors --index data/index.json --fx data/fx.csv data/prices.csv\n"
     "  defidx divisors --index data/index.json --fx data/fx.csv --actions data/actions.csv \\\n"
     "      --return gross data/prices.csv\n"},
    {"check",
     "Usage: defidx check [OPTIONS] PRICES...\n"
     "\n"
     "Loads and computes as compute does, and checks the data's freshness. Silent on success,\n"
     "for cron; on failure the message says what is wrong.\n"
     "\n"
     "Options of its own:\n"
     "  --max-gap N         exit 65 when a price is carried over more than N trading days\n"
     "  --max-jump X        exit 65 when a close moves more than X (0.5) and back: a spike\n"
     "  --max-age N         exit 75 when the last date of the prices is more than N business\n"
     "                      days (Monday to Friday) before today ($DEFIDX_TODAY, else the clock)\n"
     "Every computing option of defidx --help applies.\n"
     "\n"
     "Examples:\n"
     "  defidx check --max-age 3 --index data/index.json --fx data/fx.csv data/prices.csv\n"
     "  defidx check --max-gap 10 prices.csv || echo 'stale prices'\n"
     "  defidx check --max-jump 0.2 RR.L.csv BA.L.csv\n"},
    {"chart",
     "Usage: defidx chart [OPTIONS] PRICES...\n"
     "\n"
     "Draws the index level as an SVG chart: round axis ticks, a dashed marker at the base of\n"
     "each period (wtd, mtd, ytd, since), the last value labelled and the all-time high marked.\n"
     "The SVG depends only on the data, so it can be kept under version control.\n"
     "\n"
     "Options of its own:\n"
     "  -o FILE.svg         where to write it (default: standard output)\n"
     "  --from DATE         the first date shown (default: the base date)\n"
     "  --constituents      also draw each constituent; every line, the index's too, starts at\n"
     "                      100 on the first date shown\n"
     "  --width N, --height N   the size in pixels (default 800 x 400)\n"
     "Every computing option of defidx --help applies.\n"
     "\n"
     "Examples:\n"
     "  defidx chart --index data/index.json --fx data/fx.csv -o chart.svg data/prices.csv\n"
     "  defidx chart --from 2024-01-01 --constituents --index data/index.json --fx data/fx.csv \\\n"
     "      -o ytd.svg data/prices.csv\n"
     "  rsvg-convert -o chart.png chart.svg     (a PNG for email; Debian librsvg2-bin)\n"},
    {"report",
     "Usage: defidx report --out-dir DIR [OPTIONS] PRICES...\n"
     "\n"
     "Writes DIR/YYYY-MM-DD/ (the as-of date): report.txt, report.md, report.html, returns.csv,\n"
     "returns.json, constituents.csv and chart.svg, each atomically, then points DIR/latest at\n"
     "it. A run that fails or is killed leaves the previous bundle and latest as they were.\n"
     "Silent on success; a rerun on the same data writes byte-identical files. When a price is\n"
     "stale (carried more than --max-gap business days to the as-of date, default 5), the\n"
     "reports name it in a banner, and after writing the bundle the command exits 65 naming it.\n"
     "\n"
     "Options of its own:\n"
     "  --out-dir DIR       where the bundles go (created when missing)\n"
     "  --print             also write report.txt to standard output (cron mails it)\n"
     "  --stamp             put the generation time (UTC) into the reports\n"
     "  --max-age N         exit 75 and write nothing when the last date of the prices is more\n"
     "                      than N business days before today ($DEFIDX_TODAY, else the clock)\n"
     "Every computing option of defidx --help applies.\n"
     "\n"
     "report.html shows chart.png instead of the SVG when one exists beside it (mail clients\n"
     "show no SVG): rsvg-convert -o DIR/latest/chart.png DIR/latest/chart.svg, then run again.\n"
     "\n"
     "Examples:\n"
     "  defidx report --out-dir reports --index data/index.json --fx data/fx.csv data/prices.csv\n"
     "  flock -n /tmp/defidx.lock chronic defidx report --out-dir /srv/defidx --max-age 3 \\\n"
     "      --max-gap 5 --index index.json --fx fx.csv prices.csv\n"},
    {"formats",
     "Usage: defidx formats [-O FMT] [-o FILE]\n"
     "\n"
     "Lists the price-file shapes defidx recognises (long, wide, Yahoo, stooq, STOXX, ariva,\n"
     "Investing.com, Alpha Vantage, Twelve Data, EOD, ECB...), an example of each, and how it is\n"
     "recognised. docs/formats.md has the details.\n"
     "\n"
     "Example:\n"
     "  defidx formats -O md\n"},
    {"completion",
     "Usage: defidx completion bash|zsh|fish\n"
     "\n"
     "Prints the shell completion script; `cmake --install` installs all three.\n"
     "\n"
     "Examples:\n"
     "  source <(defidx completion bash)\n"
     "  defidx completion zsh > ~/.zfunc/_defidx\n"
     "  defidx completion fish > ~/.config/fish/completions/defidx.fish\n"},
};

const char *cli_command_name(size_t i)
{
    return i < sizeof commands / sizeof commands[0] ? commands[i].name : NULL;
}

const char *cli_help_text(const char *command)
{
    if (!command) {
        /* the CLI is one thread: built once, on the first call */
        static char general[sizeof general_commands + sizeof general_options];
        if (!general[0])
            snprintf(general, sizeof general, "%s%s", general_commands, general_options);
        return general;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, command) == 0)
            return commands[i].text;
    return NULL;
}
