/* defidx.h: the public API of the defidx engine.
 *
 * defidx computes an equity index the way index providers do (a Laspeyres index with a divisor)
 * from constituents' prices, and reports its period returns. The data flows one way:
 *
 *     files --load--> defidx_panel --defidx_compute--> defidx_result --emit--> bytes
 *                     defidx_spec, defidx_fx ----^
 *
 * Conventions, valid for every function below:
 * - Functions that can fail return an int status: 0 (DEFIDX_OK) or a negative DEFIDX_E* code, and
 *   fill the defidx_error the caller passes (it may be NULL when the caller does not care).
 * - Dates are int32_t days since 1970-01-01 (proleptic Gregorian); DEFIDX_NO_DATE means "none".
 * - Prices and levels are doubles; a missing value is NAN inside the library. Emitters print it as
 *   null/empty, never as "nan".
 * - Every object returned through a pointer-to-pointer is owned by the caller and freed with the
 *   matching _free function, which accepts NULL.
 * - No function prints to stdout, exits, or depends on the process locale.
 */
#ifndef DEFIDX_H
#define DEFIDX_H

#include <math.h> /* NAN, in DEFIDX_OPTIONS_INIT */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DEFIDX_VERSION "0.1.0"

/* The layout of the options structs (defidx_options, defidx_load_options, defidx_emit_options,
 * defidx_chart_options, defidx_report_options), in their first field: a program compiled against
 * an older header keeps working with a newer library; a newer struct than the library knows is
 * refused (DEFIDX_EUSAGE) rather than half read. Each has an _INIT initialiser (C99 designated
 * initialisers) and an _init function, which give the same defaults. */
#define DEFIDX_OPTIONS_VERSION 2 /* 2: defidx_options.by, by_count */

/* Marks the public functions: the only symbols a shared build of the library exports (it is
 * compiled with hidden visibility; its internal functions are named dfx_ and stay inside). */
#if defined(__GNUC__)
#define DEFIDX_EXTERN __attribute__((visibility("default")))
#else
#define DEFIDX_EXTERN
#endif

/* ---- errors and warnings ---------------------------------------------------------------- */

enum defidx_status {
    DEFIDX_OK = 0,
    DEFIDX_EUSAGE = -1,    /* an argument or option is invalid (the caller's mistake) */
    DEFIDX_EDATA = -2,     /* the input data cannot be used: parse error, conflict, ... */
    DEFIDX_EINPUT = -3,    /* an input file is missing, unreadable or empty */
    DEFIDX_ENOMEM = -4,    /* out of memory */
    DEFIDX_ECREATE = -5,   /* an output file cannot be created */
    DEFIDX_EWRITE = -6,    /* an output cannot be written */
    DEFIDX_EINTERNAL = -7  /* a bug in defidx */
};

/* An error the caller owns. line and column are 1-based; 0 means "no position". */
typedef struct defidx_error {
    int code;
    char file[256];
    long line;
    long column;
    char message[768];
} defidx_error;

/* Resets err to "no error". */
DEFIDX_EXTERN void defidx_error_clear(defidx_error *err);

/* Fills err (when not NULL) and returns code, so that `return defidx_error_set(...)` reads well.
 * file may be NULL; message is printf-formatted and truncated to fit. */
DEFIDX_EXTERN int defidx_error_set(defidx_error *err, int code, const char *file, long line, long column,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Writes "FILE:LINE:COL: message" (or "FILE: message", or "message") into buf. */
DEFIDX_EXTERN void defidx_error_format(const defidx_error *err, char *buf, size_t size);

/* What a warning is about, for a program that sorts or counts them; defidx_warning_kind_name gives
 * the name JSON carries ("spike"). Kinds are only ever appended, so a number keeps its meaning. */
typedef enum defidx_warning_kind {
    DEFIDX_WARNING_OTHER = 0,      /* none of those below */
    DEFIDX_WARNING_REPEATED_ROW,   /* a row of prices or actions given twice, used once */
    DEFIDX_WARNING_STALE_PRICE,    /* a price carried over more trading days than --max-gap */
    DEFIDX_WARNING_SPIKE,          /* a close that jumps and reverts the next day (--max-jump) */
    DEFIDX_WARNING_UNUSED_TICKER,  /* a ticker given (prices, an action, an option) that is not a
                                      constituent, so not used */
    DEFIDX_WARNING_CAPPING,        /* a capping rule these constituents cannot meet */
    DEFIDX_WARNING_BASE_DATE,      /* no prices on the base date asked for; another date used */
    DEFIDX_WARNING_CURRENCY,       /* a currency decided by a default (the index's, a ticker's) */
    DEFIDX_WARNING_ENCODING,       /* text that is not UTF-8, read as Windows-1252 */
    DEFIDX_WARNING_STALE_RATE,     /* an FX rate carried over more business days than --max-gap */
    DEFIDX_WARNING_KIND_COUNT
} defidx_warning_kind;

/* The name of a kind in JSON: "other", "repeated_row", "stale_price", "spike", "unused_ticker",
 * "capping", "base_date", "currency", "encoding"; NULL for a number that is no kind. */
DEFIDX_EXTERN const char *defidx_warning_kind_name(defidx_warning_kind kind);

/* One warning as fields. The strings belong to the list that holds the warning. */
typedef struct defidx_warning {
    defidx_warning_kind kind;
    const char *file;    /* the file it is about; NULL when none */
    long line;           /* 1-based; 0 when it is about no one line */
    long column;         /* 1-based; 0 when not known */
    const char *message; /* what happened, without the location and the hint */
    const char *hint;    /* what to do about it; NULL when the message has none */
} defidx_warning;

/* A list of warnings. Zero-initialise it. items[i] and details[i] are the same warning: items as the
 * text printed ("FILE:LINE:COL: message (hint: ...)", the location as defidx_error_format writes
 * it), details as fields. */
typedef struct defidx_warnings {
    size_t count;
    size_t capacity;
    char **items;
    size_t suppressed; /* warnings past the limit below are counted, not stored */
    defidx_warning *details;
    int status;        /* 0, or DEFIDX_ENOMEM once a warning could not be stored for want of memory:
                          the list is then incomplete, and every function it was given fails with
                          DEFIDX_ENOMEM */
} defidx_warnings;

#define DEFIDX_WARNINGS_MAX 1000

/* Appends a warning of kind DEFIDX_WARNING_OTHER; w may be NULL (the warning is dropped). A message
 * that ends in " (hint: ...)" has that part as its hint. Returns 0, also past DEFIDX_WARNINGS_MAX
 * (counted in suppressed), or DEFIDX_ENOMEM with w->status set when memory ran out. */
DEFIDX_EXTERN int defidx_warn(defidx_warnings *w, const char *file, long line, long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Appends the warnings of from to into, fields and all, within DEFIDX_WARNINGS_MAX (the rest, and
 * from's suppressed, counted in into's suppressed), and empties from. Returns 0, or DEFIDX_ENOMEM
 * with into->status set and from unchanged. */
DEFIDX_EXTERN int defidx_warnings_move(defidx_warnings *into, defidx_warnings *from);
DEFIDX_EXTERN void defidx_warnings_free(defidx_warnings *w);

/* ---- dates ------------------------------------------------------------------------------ */

#define DEFIDX_NO_DATE INT32_MIN

/* Parses an ISO date (YYYY-MM-DD, exactly 10 characters) into days since 1970-01-01.
 * Returns 0, or DEFIDX_EDATA with err->message filled when text is not a real calendar date. */
DEFIDX_EXTERN int defidx_date_parse(const char *text, size_t len, int32_t *out, defidx_error *err);
/* 1 when y-m-d is a real calendar date (years 1..9999), else 0. */
DEFIDX_EXTERN int defidx_date_valid(int y, int m, int d);
DEFIDX_EXTERN int32_t defidx_date_from_civil(int y, int m, int d);
DEFIDX_EXTERN void defidx_date_to_civil(int32_t days, int *y, int *m, int *d);
/* ISO weekday: 1 = Monday ... 7 = Sunday. */
DEFIDX_EXTERN int defidx_date_weekday(int32_t days);
/* The Monday of the ISO week that contains days. */
DEFIDX_EXTERN int32_t defidx_date_week_start(int32_t days);
/* The ISO 8601 week-numbering year and week (1..53) of days. */
DEFIDX_EXTERN void defidx_date_iso_week(int32_t days, int *iso_year, int *week);
/* Writes YYYY-MM-DD and a NUL into out (11 bytes). */
DEFIDX_EXTERN void defidx_date_format(int32_t days, char out[11]);
/* The business days (Monday to Friday) after `from` up to and including `to`; 0 when to <= from.
 * A close of Friday read on the next Tuesday is 2 business days old. */
DEFIDX_EXTERN long defidx_date_business_days(int32_t from, int32_t to);

/* ---- numbers ---------------------------------------------------------------------------- */

/* Parses a decimal number ("-12.5", "1e3", "784.20") in the C locale, whatever the process locale.
 * Surrounding blanks are not accepted. Returns 0, or DEFIDX_EDATA when text is not a number. */
DEFIDX_EXTERN int defidx_number_parse(const char *text, size_t len, double *out);
/* Formats x with up to `digits` significant digits (%.*g) in the C locale; "" for NAN/inf.
 * Returns the length written (truncated to size-1). */
DEFIDX_EXTERN int defidx_number_format(double x, int digits, char *buf, size_t size);
/* Formats x with exactly `decimals` decimals (%.*f) in the C locale; "" for NAN/inf. */
DEFIDX_EXTERN int defidx_number_fixed(double x, int decimals, char *buf, size_t size);

/* ---- the price panel ---------------------------------------------------------------------- */

/* Observations of many tickers on many dates. Build it with defidx_panel_new, the loaders (or
 * defidx_panel_add), then defidx_panel_finish; after finish it is read-only. */
typedef struct defidx_panel defidx_panel;

/* Where a value came from, for messages. file is borrowed for the duration of the call. */
typedef struct defidx_origin {
    const char *file;
    long line;
    long column;
} defidx_origin;

DEFIDX_EXTERN defidx_panel *defidx_panel_new(void);
DEFIDX_EXTERN void defidx_panel_free(defidx_panel *p);

/* Records one observation. close is NAN for a missing price (an empty cell, a JSON null);
 * currency, shares and free_float are optional (NULL / NAN). A ticker's currency may be given
 * once or repeatedly, but must not change. Returns 0 or DEFIDX_EDATA/DEFIDX_ENOMEM. */
DEFIDX_EXTERN int defidx_panel_add(defidx_panel *p, const char *ticker, int32_t date, double close,
                     const char *currency, double shares, double free_float,
                     const defidx_origin *at, defidx_error *err);

/* Sorts and indexes the observations. An identical repeated observation is a warning; a second
 * different close for the same ticker and date is DEFIDX_EDATA at the second one's position. Two
 * rows from different files whose closes agree to 1e-6 relative (float noise of two downloads:
 * 98.910004 and 98.91000366210938) are one observation, the first one added: one warning per pair
 * of files counts them. A panel with no price at all is DEFIDX_EDATA. finish also finds one-day
 * spikes (defidx_panel_set_max_jump) with the row of each, which defidx_compute reports. */
DEFIDX_EXTERN int defidx_panel_finish(defidx_panel *p, defidx_warnings *w, defidx_error *err);

/* Sets, before finish, the one-day move beyond which a close that reverts the next day is a spike
 * (docs/methodology.md, "Spikes"): a fraction, 0.5 = 50%; 0 (or anything that is not a positive
 * finite number) means the default, 0.5. Give it defidx_options.max_jump, which the one-pass path
 * of defidx_compute_file uses, so that both paths flag the same closes. */
DEFIDX_EXTERN void defidx_panel_set_max_jump(defidx_panel *p, double max_jump);

/* Accessors, valid after finish. Dates are the sorted union of dates on which any ticker has a
 * price; tickers are in order of first appearance. */
DEFIDX_EXTERN size_t defidx_panel_date_count(const defidx_panel *p);
DEFIDX_EXTERN int32_t defidx_panel_date(const defidx_panel *p, size_t i);
DEFIDX_EXTERN size_t defidx_panel_ticker_count(const defidx_panel *p);
DEFIDX_EXTERN const char *defidx_panel_ticker(const defidx_panel *p, size_t j);
/* The ticker's index, or -1. */
DEFIDX_EXTERN long defidx_panel_find(const defidx_panel *p, const char *ticker);
/* The currency given in the price files, or NULL. */
DEFIDX_EXTERN const char *defidx_panel_currency(const defidx_panel *p, size_t j);
/* The close of ticker j on date i, NAN when it has none that day. */
DEFIDX_EXTERN double defidx_panel_price(const defidx_panel *p, size_t j, size_t i);
/* The last shares / free float given for ticker j on or before date i, NAN when none. */
DEFIDX_EXTERN double defidx_panel_shares(const defidx_panel *p, size_t j, size_t i);
DEFIDX_EXTERN double defidx_panel_free_float(const defidx_panel *p, size_t j, size_t i);

/* ---- loaders ---------------------------------------------------------------------------- */

/* How to read price files where the file alone does not say, or to override what it says.
 * DEFIDX_LOAD_OPTIONS_INIT or defidx_load_options_init (or all zero) means: recognise everything
 * from the file. version says which fields the caller knows (DEFIDX_OPTIONS_VERSION when it was
 * compiled); a version newer than the library's is refused with DEFIDX_EUSAGE. */
enum defidx_price_field { DEFIDX_FIELD_CLOSE = 0, DEFIDX_FIELD_ADJ_CLOSE };
enum defidx_reader { DEFIDX_READER_AUTO = 0, DEFIDX_READER_PANEL };

typedef struct defidx_load_options {
    int version;             /* DEFIDX_OPTIONS_VERSION */
    char delimiter;          /* ',', ';', '\t' or '|'; 0: sniffed from the header */
    char decimal_mark;       /* '.' or ','; 0: decided from the data */
    const char *date_format; /* strptime-style (%Y %m %d %b %y, literals); NULL: recognised */
    const char *ticker;      /* the ticker of a single-instrument file; NULL: from the data or
                                the file name */
    int price_field;         /* enum defidx_price_field: Close, or Adj Close where a file has it */
    /* defidx_compute_file only: */
    int reader;              /* enum defidx_reader: the one pass where the file allows (AUTO), or
                                the panel always, as a check that both give the same bytes */
    int threads;             /* threads that parse a large date-sorted file in the one pass: 0 by
                                its size and the cores, else 1 or 2 (tests run the worker on small
                                files with 2) */
} defidx_load_options;

#define DEFIDX_LOAD_OPTIONS_INIT {.version = DEFIDX_OPTIONS_VERSION, .price_field = DEFIDX_FIELD_CLOSE}
DEFIDX_EXTERN void defidx_load_options_init(defidx_load_options *opt);

/* Reads a price file into the panel, its shape recognised by content (docs/formats.md,
 * defidx_formats): CSV (long, wide, STOXX, one-instrument Yahoo/stooq/ariva/Investing.com, after a
 * BOM and an Excel sep= line, delimiter , ; TAB or |) or JSON (records, series, EOD arrays, Alpha
 * Vantage, Twelve Data). Text that is not UTF-8 is read as Windows-1252 with a warning; an HTML
 * page or an API error object is DEFIDX_EDATA. path "-" reads stdin. opt may be NULL (the
 * defaults). A one-instrument file takes its ticker from opt->ticker, else from the data, else
 * from the file name. Missing/unreadable/empty file, or one without rows: DEFIDX_EINPUT. Unusable
 * field: DEFIDX_EDATA with position. opt->price_field ADJ_CLOSE refuses a file without adjusted
 * closes. */
DEFIDX_EXTERN int defidx_load_prices(defidx_panel *p, const char *path, const defidx_load_options *opt,
                                     defidx_warnings *w, defidx_error *err);
/* The same on a buffer already in memory, CSV or JSON; name is used in messages and, for a
 * single-instrument CSV, gives the ticker (its base name without the last extension). */
DEFIDX_EXTERN int defidx_load_csv(defidx_panel *p, const char *name, const char *data, size_t len,
                                  const defidx_load_options *opt, defidx_warnings *w, defidx_error *err);
DEFIDX_EXTERN int defidx_load_json(defidx_panel *p, const char *name, const char *data, size_t len,
                                   const defidx_load_options *opt, defidx_warnings *w, defidx_error *err);

/* A recognised price-file shape, for `defidx formats`. */
typedef struct defidx_format_info {
    const char *name;       /* "yahoo", "stooq", "stoxx", ... */
    const char *example;    /* a header or a first line */
    const char *detection;  /* how it is recognised */
} defidx_format_info;
/* The recognised shapes; *count receives how many. The array is static. */
DEFIDX_EXTERN const defidx_format_info *defidx_formats(size_t *count);

/* Parses a date written in fmt (strptime-style: %Y 4-digit year, %y 2-digit year (2000-2068,
 * 1969-1999), %m month, %d day, %b English month abbreviation, %B full name, %% a percent; other
 * characters literal). Returns 0 or DEFIDX_EDATA. */
DEFIDX_EXTERN int defidx_date_parse_format(const char *text, size_t len, const char *fmt, int32_t *out);
/* 0 when fmt is a format defidx_date_parse_format can read dates with (exactly one year, month and
 * day field, nothing else); else DEFIDX_EUSAGE with what is wrong written into bad. */
DEFIDX_EXTERN int defidx_date_format_check(const char *fmt, char *bad, size_t size);

/* Reads a whole file ("-" = stdin) into a NUL-terminated buffer the caller frees with free().
 * An empty file is DEFIDX_EINPUT. */
DEFIDX_EXTERN int defidx_read_file(const char *path, char **data, size_t *len, defidx_error *err);

/* ---- index definition --------------------------------------------------------------------- */

enum defidx_weighting {
    DEFIDX_WEIGHT_DEFAULT = 0, /* ffmcap when shares are known, else equal */
    DEFIDX_WEIGHT_FFMCAP,
    DEFIDX_WEIGHT_MCAP,
    DEFIDX_WEIGHT_EQUAL,
    DEFIDX_WEIGHT_PRICE,
    DEFIDX_WEIGHT_FIXED,
    DEFIDX_WEIGHT_COUNT
};
/* "ffmcap" ... "fixed" to the enum; -1 when unknown ("default" is what no choice means, not a
 * name to give). */
DEFIDX_EXTERN int defidx_weighting_parse(const char *name);
/* And back: "default" for DEFIDX_WEIGHT_DEFAULT, "unknown" for a value that is no weighting. The
 * names to offer are those of DEFIDX_WEIGHT_DEFAULT + 1 up to DEFIDX_WEIGHT_COUNT. */
DEFIDX_EXTERN const char *defidx_weighting_name(int weighting);

typedef struct defidx_member {
    char ticker[64];
    char name[128];
    char currency[8];  /* "" when not given */
    double shares;     /* NAN when not given */
    double free_float; /* NAN when not given (taken as 1 by ffmcap) */
    double weight;     /* NAN when not given; used by fixed weighting */
    long line, column; /* where the entry is in the definition file, for messages */
    char country[4];   /* ISO 3166 alpha-2, upper case; "" when not given (the exchange suffix's) */
    char segment[64];  /* free text ("defence", "engines"); "" when not given */
} defidx_member;

typedef struct defidx_review {
    int32_t effective; /* takes effect at the close of the trading day before this date */
    size_t count;
    defidx_member *members; /* the full list after the review */
} defidx_review;

/* A file a definition names: the path resolved against the definition's folder (as written when
 * absolute), and where the definition names it, for messages. */
typedef struct defidx_project_path {
    char *path;         /* NULL: not given */
    char key[32];       /* "index.fx", "index.prices[1]" */
    long line, column;
} defidx_project_path;

/* The inputs and defaults a definition may name, so that it is a whole project (docs/formats.md
 * "The definition as a project"): the command line overrides each of them. */
typedef struct defidx_project {
    size_t price_count;
    defidx_project_path *prices;
    defidx_project_path fx, actions, benchmark, out_dir;
    size_t since_count;
    int32_t since[64];
    int max_gap;        /* 0: not given */
    int max_age;        /* -1: not given */
    char return_type[16]; /* as written ("net"; defidx_return_parse reads it); "" when not given */
    long return_line, return_column;
} defidx_project;

typedef struct defidx_spec {
    char source[256];   /* the file it was read from, for messages */
    char name[128];
    char currency[8];   /* "" when not given */
    int32_t base_date;  /* DEFIDX_NO_DATE when not given */
    double base_value;  /* NAN when not given */
    int weighting;      /* enum defidx_weighting */
    double cap;         /* NAN when not given */
    double group_threshold; /* two-level capping: weights above this... (NAN: one level only) */
    double group_cap;       /* ...may together be at most this */
    size_t count;
    defidx_member *members;
    size_t review_count;
    defidx_review *reviews; /* sorted by effective date */
    defidx_project project;
    char description[512]; /* a paragraph for the factsheet; "" when not given */
} defidx_spec;

/* Loads an index definition (JSON, docs/formats.md "Index definition"). */
DEFIDX_EXTERN int defidx_spec_load(defidx_spec **out, const char *path, defidx_error *err);
DEFIDX_EXTERN int defidx_spec_parse(defidx_spec **out, const char *name, const char *json, size_t len,
                      defidx_error *err);
DEFIDX_EXTERN void defidx_spec_free(defidx_spec *spec);

/* ---- capping --------------------------------------------------------------------------------- */

/* A capping rule: no weight above cap; with the two-level rule (group_threshold and group_cap not
 * NAN) also the weights above group_threshold together at most group_cap (e.g. 0.10 / 0.045 / 0.40).
 * NAN cap: no capping. */
typedef struct defidx_capping {
    double cap;
    double group_threshold;
    double group_cap;
} defidx_capping;

/* Caps weights in place. w holds n weights that add up to 1 (0 for a constituent outside the
 * index); on return they still add up to 1 and meet the rule. At the first level every weight
 * above cap is cut to it and the others are scaled by one factor to take up the excess: the
 * result is min(cap, k w_i) for the one k that keeps the total, as repeated rounds of cutting and
 * sharing give it (docs/methodology.md). The two-level rule then cuts the smallest weights above
 * group_threshold to it, one by one, until those left above add up to at most group_cap, and
 * shares their excess among the weights below the threshold without lifting one above it. The
 * weights are sorted once: O(n log n) time, O(n) scratch memory that is freed before returning.
 * Returns 0; DEFIDX_EDATA (w unchanged) when the rule cannot be met with these n weights (cap x
 * non-zero weights < 1, or the group's excess finds too little room below the threshold);
 * DEFIDX_EUSAGE for an invalid rule or weights that are negative, not finite or do not add up to 1
 * (within 1e-9); DEFIDX_ENOMEM. A NAN cap leaves w as it is. w stays the caller's. */
DEFIDX_EXTERN int defidx_cap_weights(double *w, size_t n, const defidx_capping *rule);

/* What defidx_cap_weights_fallback did. */
typedef enum defidx_cap_outcome {
    DEFIDX_CAP_MET = 0,   /* the weights meet the whole rule (capped, or met it already) */
    DEFIDX_CAP_EQUAL,     /* cap x constituents < 1: every non-zero weight is 1/constituents, the
                           * smallest largest weight there is (the rule's limit) */
    DEFIDX_CAP_CAP_ONLY   /* the two-level group rule could not be met: the weights meet the cap
                           * alone, as the first level leaves them */
} defidx_cap_outcome;

/* defidx_cap_weights, but a rule that these weights cannot meet is applied as far as it can be
 * instead of refused: with cap x non-zero weights < 1 each non-zero weight becomes 1/their
 * number; when only the group rule fails, the cap alone is applied. *outcome (not NULL) says
 * which case applied, so that the caller can say so. Returns 0, DEFIDX_EUSAGE or DEFIDX_ENOMEM
 * as defidx_cap_weights does (never DEFIDX_EDATA). */
DEFIDX_EXTERN int defidx_cap_weights_fallback(double *w, size_t n, const defidx_capping *rule,
                                defidx_cap_outcome *outcome);

/* ---- corporate actions ---------------------------------------------------------------------- */

enum defidx_action_type {
    DEFIDX_ACTION_SPLIT = 1,        /* value: new shares per old share (0.1 = 1-for-10 reverse) */
    DEFIDX_ACTION_SHARES,           /* value: the new number of shares */
    DEFIDX_ACTION_CASH_DIVIDEND,    /* value: gross amount per share; value2: withholding rate */
    DEFIDX_ACTION_SPECIAL_DIVIDEND, /* value: amount per share */
    DEFIDX_ACTION_RIGHTS,           /* value: new shares per old share; value2: subscription price */
    DEFIDX_ACTION_SPINOFF           /* value: value of the spun-off shares per parent share */
};

/* One corporate action (docs/formats.md "Corporate actions"). Amounts are in the quote currency. */
typedef struct defidx_action {
    int32_t date;        /* the ex-date */
    char ticker[64];
    int type;            /* enum defidx_action_type */
    double value;
    double value2;       /* NAN when not given */
    long line, column;   /* where the row is in the actions file, for messages */
} defidx_action;

typedef struct defidx_actions {
    char source[256];      /* the file they were read from */
    size_t count;
    defidx_action *items;  /* sorted by ex-date; actions of one date stay in file order */
} defidx_actions;

/* Reads an actions CSV (`date,ticker,type,value[,value2]`, header required, matched
 * case-insensitively, type names too). An unusable field is DEFIDX_EDATA at its line and column;
 * an identical repeated row is a warning and used once; two different rows with the same date,
 * ticker and type are DEFIDX_EDATA. An empty or header-only file gives 0 actions. */
DEFIDX_EXTERN int defidx_actions_load(defidx_actions **out, const char *path, defidx_warnings *w, defidx_error *err);
DEFIDX_EXTERN int defidx_actions_parse(defidx_actions **out, const char *name, const char *csv, size_t len,
                         defidx_warnings *w, defidx_error *err);
DEFIDX_EXTERN void defidx_actions_free(defidx_actions *a);
/* "split", "shares", "cash_dividend", "special_dividend", "rights", "spinoff"; and back (-1). */
DEFIDX_EXTERN const char *defidx_action_type_name(int type);
DEFIDX_EXTERN int defidx_action_type_parse(const char *name);

/* ---- FX ------------------------------------------------------------------------------------ */

/* Reference rates in units of currency per EUR, by date (the ECB eurofxref-hist.csv shape). */
typedef struct defidx_fx defidx_fx;

DEFIDX_EXTERN int defidx_fx_load(defidx_fx **out, const char *path, defidx_error *err);
DEFIDX_EXTERN int defidx_fx_parse(defidx_fx **out, const char *name, const char *csv, size_t len,
                    defidx_error *err);
DEFIDX_EXTERN void defidx_fx_free(defidx_fx *fx);

/* Splits a quote currency into the ISO currency and the quote unit: "GBX"/"GBp" -> "GBP", 0.01.
 * iso receives 4 bytes. Returns 0, or DEFIDX_EDATA when code is not three letters. */
DEFIDX_EXTERN int defidx_currency_unit(const char *code, char iso[4], double *unit);

/* The quote currency Yahoo's exchange suffix implies: "BA.L" -> "GBX", "RHM.DE" -> "EUR", "LMT" (no
 * suffix) -> "USD" (docs/methodology.md lists the suffixes). *suffix receives the suffix ("" for
 * none). NULL for a suffix not in the list ("X.TO"), an index ("^GDAXI", suffix "^") and an FX pair
 * or future ("EURGBP=X", suffix "=X"): their currency is not known. The string is static. */
DEFIDX_EXTERN const char *defidx_currency_of_ticker(const char *ticker, const char **suffix);

/* The country of the exchange Yahoo's suffix names: "RHM.DE" -> "DE", "BA.L" -> "GB"; NULL for a
 * ticker without a suffix ("LMT") or with one not in the list. The string is static. */
DEFIDX_EXTERN const char *defidx_country_of_ticker(const char *ticker);

/* The factor that turns a price quoted in `from` (GBX allowed) into the currency `to` on date,
 * using the rate of that date or the last one before it. fx may be NULL when the two currencies
 * are the same apart from the unit. DEFIDX_EDATA when no rate exists on or before date. */
DEFIDX_EXTERN int defidx_fx_factor(const defidx_fx *fx, const char *from, const char *to, int32_t date,
                     double *factor, defidx_error *err);

/* ---- the computation ---------------------------------------------------------------------- */

enum defidx_rebalance { DEFIDX_REBALANCE_NONE = 0, DEFIDX_REBALANCE_MONTHLY, DEFIDX_REBALANCE_QUARTERLY };

/* A quote currency given for one ticker on the command line (--ticker-currency SYM=CCY). */
typedef struct defidx_ticker_currency {
    const char *ticker;
    const char *currency;
} defidx_ticker_currency;

typedef struct defidx_options {
    int version;           /* DEFIDX_OPTIONS_VERSION */
    int weighting;         /* enum defidx_weighting; DEFAULT: the spec's, else by the data */
    int32_t base_date;     /* DEFIDX_NO_DATE: the spec's, else the common start: the first date on
                              which every constituent of the first composition has a price (the
                              result's base_last names the one that starts last) */
    double base_value;     /* NAN: the spec's, else 100 */
    const char *currency;  /* NULL: the spec's, else the one currency of every constituent in the
                              index at the base date, else EUR */
    int rebalance;         /* enum defidx_rebalance; used when the spec has no reviews */
    int32_t as_of;         /* DEFIDX_NO_DATE: the last date of the data */
    const int32_t *since;  /* the "since" periods; NULL with since_count 0 means 2022-02-23 */
    size_t since_count;
    int return_type;       /* enum defidx_return: price, net or gross */
    const struct defidx_actions *actions; /* corporate actions and dividends, or NULL */
    int max_gap;           /* warn about a price carried over more trading days than this;
                              0: the default, 5 */
    int price_field;       /* enum defidx_price_field the prices were read with: adjusted closes
                              are reported as return_type "adjusted" */
    /* A constituent's quote currency: these first (borrowed), else the definition's, else the
     * price file's, else its ticker's exchange suffix (defidx_currency_of_ticker, with a note). */
    const defidx_ticker_currency *ticker_currencies;
    size_t ticker_currency_count;
    double max_jump;       /* a constituent's one-day move beyond this fraction that reverts the
                              next day is a spike, warned about; 0: the default, 0.5 (50%) */
    /* Version 2. The breakdowns to report (compute --by), each an enum defidx_group_key, in this
     * order: the result's breakdowns. NULL with by_count 0: none. */
    const int *by;
    size_t by_count;
} defidx_options;
/* The range of an index's base value, the same for a definition's base_value, --base-value and
 * defidx_options.base_value: levels stay far from a double's limits (prices are bounded too, see
 * docs/formats.md "Limits"), and up to 1e12 a level prints in full, without an exponent. */
#define DEFIDX_BASE_VALUE_MIN 1e-9
#define DEFIDX_BASE_VALUE_MAX 1e12
#define DEFIDX_OPTIONS_INIT \
    {.version = DEFIDX_OPTIONS_VERSION, .base_date = DEFIDX_NO_DATE, .base_value = NAN, .as_of = DEFIDX_NO_DATE}

enum defidx_return {
    DEFIDX_RETURN_PRICE = 0,
    DEFIDX_RETURN_NET,      /* dividends reinvested net of withholding tax */
    DEFIDX_RETURN_GROSS,    /* dividends reinvested in full */
    DEFIDX_RETURN_ADJUSTED, /* a result's only: adjusted closes, which carry the dividends
                               (defidx_options.price_field); no option asks for it */
    DEFIDX_RETURN_COUNT
};
/* "price", "net", "gross" to the enum; -1 when unknown (or "adjusted", which no option gives). */
DEFIDX_EXTERN int defidx_return_parse(const char *name);
/* And back: "price" ... "adjusted"; "unknown" for a value that is none. */
DEFIDX_EXTERN const char *defidx_return_name(int return_type);

/* A change of the divisor, for the audit trail (`defidx divisors`). */
typedef struct defidx_divisor_change {
    int32_t date;          /* the close after which the new divisor applies */
    int32_t effective;     /* the first date computed with it; DEFIDX_NO_DATE after the data */
    double old_divisor;    /* NAN for the base date's first divisor */
    double new_divisor;
    double value_before;   /* sum of p q in index currency before the change (NAN at the base) */
    double value_after;    /* and after it */
    char reason[192];      /* "base", "review", "rebalance", "split RHM.DE 2", ... */
} defidx_divisor_change;

/* Sets the defaults above. */
DEFIDX_EXTERN void defidx_options_init(defidx_options *opt);

/* What a breakdown groups the constituents by (docs/methodology.md "Breakdowns"). */
enum defidx_group_key {
    DEFIDX_GROUP_COUNTRY = 0, /* the definition's "country", else the exchange suffix's */
    DEFIDX_GROUP_CURRENCY,    /* the quote currency's ISO code: GBX is GBP */
    DEFIDX_GROUP_SEGMENT,     /* the definition's "segment" */
    DEFIDX_GROUP_KEY_COUNT
};
/* "country", "currency", "segment"; NULL for another value. And back: -1 when unknown. */
DEFIDX_EXTERN const char *defidx_group_key_name(int key);
DEFIDX_EXTERN int defidx_group_key_parse(const char *name);
/* The group of a constituent that does not say (no country known, no segment given). */
#define DEFIDX_GROUP_UNKNOWN "unknown"

/* Where a constituent's country comes from. */
enum defidx_country_source { DEFIDX_COUNTRY_UNKNOWN = 0, DEFIDX_COUNTRY_GIVEN, DEFIDX_COUNTRY_SUFFIX };

/* The kinds of period a result reports, in the order it reports them (docs/methodology.md,
 * "Periods"). A program tells periods apart by kind; the name is for output. */
enum defidx_period_kind {
    DEFIDX_PERIOD_1D = 0, /* from the previous close */
    DEFIDX_PERIOD_WTD,    /* week to date: from the last close before Monday of the ISO week */
    DEFIDX_PERIOD_MTD,    /* month to date: from the last close before the 1st of the month */
    DEFIDX_PERIOD_QTD,    /* quarter to date: from the last close before the 1st of the quarter
                             (1 January, 1 April, 1 July, 1 October) */
    DEFIDX_PERIOD_YTD,    /* year to date: from the last close before 1 January */
    DEFIDX_PERIOD_SINCE,  /* since a date: from the close on it, or the last one before; one
                             period per date of defidx_options.since */
    DEFIDX_PERIOD_KIND_COUNT
};

/* One period's return. base_date is DEFIDX_NO_DATE and ret NAN when no base exists. */
typedef struct defidx_period {
    char name[24];       /* "1d", "wtd", "mtd", "qtd", "ytd", "since:YYYY-MM-DD" */
    int kind;            /* enum defidx_period_kind */
    int32_t base_date;
    double base_value;   /* the level (or price) at base_date */
    double ret;          /* value(as_of) / base_value - 1 */
} defidx_period;

typedef struct defidx_constituent {
    char ticker[64];
    char name[128];
    char currency[8];     /* quote currency, as given ("GBX" stays "GBX") */
    int32_t price_date;   /* the date of the price below (at or before as_of); NO_DATE if none */
    double price;         /* in the quote currency */
    double weight;        /* at the close of as_of, 0 when not in the index then */
    defidx_period *periods;   /* the result's period_count periods, in the same order as its
                                 periods; returns in the quote currency */
    double *contribution;     /* likewise: this constituent's part of the index return, NAN if none */
    int stale;                /* 1 when price_date is more than max_gap business days before
                                 as_of: a price carried, not a current one */
    char country[4];          /* ISO 3166 alpha-2; "" when not known */
    int country_source;       /* enum defidx_country_source */
    char segment[64];         /* the definition's; "" when not given */
} defidx_constituent;

/* One group of a breakdown: constituents that share a country, currency or segment. */
typedef struct defidx_group {
    char name[64];            /* "DE", "GBP", "defence"; DEFIDX_GROUP_UNKNOWN when they do not say */
    double weight;            /* its constituents' weights at the as-of close, added */
    size_t member_count;
    size_t *members;          /* its constituents: indexes into the result's, largest weight first */
    double *returns;          /* the result's period_count periods: the return of the group's own
                                 sub-index, chained across reviews as the index is, flat while the
                                 group holds nothing; NAN where the group had not yet held a
                                 member by the period's base */
    double *contribution;     /* its constituents' contributions, added: the groups' add up to the
                                 index's return */
} defidx_group;

typedef struct defidx_breakdown {
    int key;                  /* enum defidx_group_key */
    size_t group_count;
    defidx_group *groups;     /* largest weight first, then by name */
} defidx_breakdown;

typedef struct defidx_result {
    char name[128];
    char currency[8];
    const char *return_type;  /* defidx_return_name of the return type: "price", "net", "gross", or
                                 "adjusted" (adjusted closes) */
    int weighting;            /* the weighting actually used */
    int32_t base_date;
    double base_value;
    int32_t as_of;
    double level;
    size_t period_count;
    defidx_period *periods;
    int32_t ath_date;         /* all-time high up to as_of */
    double ath_level;
    double drawdown;          /* level / ath_level - 1, <= 0 */
    size_t constituent_count;
    defidx_constituent *constituents; /* sorted by weight, largest first */
    size_t review_count;      /* reviews (incl. rebalances) that took effect in the series */
    size_t divisor_change_count;
    defidx_divisor_change *divisor_changes; /* in date order, the base first */
    size_t stale_count;       /* prices carried over more than max_gap trading days (warned) */
    int max_gap;              /* the business days a price may be carried before it is stale */
    int32_t common_start;     /* the first date on which every constituent of the first
                                 composition (priced by as_of) has a price */
    char base_last[64];       /* with the default base date: the constituent whose first price
                                 set it (it starts last); "" when the base date was given */
    size_t stale_constituents; /* constituents whose price at as_of is stale (their .stale) */
    size_t spike_count;       /* constituents' closes that are one-day spikes (warned, with the row) */
    int one_pass;             /* how defidx_compute_file read the prices without a panel: 1 in
                                 one pass (sorted by date), 2 collected per ticker; else 0 */
    /* The series from base_date to the last date of the data (not only to as_of). */
    size_t date_count;
    int32_t *dates;
    double *levels;
    double *divisors;
    int *constituents_in;     /* how many constituents the index holds on each date */
    defidx_warnings warnings;
    defidx_warnings notes;    /* what a default decided that the reader should know (the base
                                 date chosen, a currency inferred), for people: not warnings */
    size_t stale_rate_count;  /* FX rates used more than max_gap business days after their date,
                                 up to as_of, once per currency and rate (warned) */
    size_t breakdown_count;   /* defidx_options.by's, in its order */
    defidx_breakdown *breakdowns;
} defidx_result;

/* Computes the index and its returns. spec and fx may be NULL. The spikes that the panel's finish
 * found in constituents' closes are warnings, after the computation's own, and spike_count. */
DEFIDX_EXTERN int defidx_compute(const defidx_panel *panel, const defidx_spec *spec, const defidx_fx *fx,
                   const defidx_options *opt, defidx_result **out, defidx_error *err);
DEFIDX_EXTERN void defidx_result_free(defidx_result *r);

/* ---- statistics of a level series (src/index/stats.c) --------------------------------------- */

/* The trailing returns defidx_stats gives, in this order (defidx_trailing_name names them). */
enum defidx_trailing {
    DEFIDX_TRAILING_MTD = 0, /* the period rules above: from the last value before the 1st of the month */
    DEFIDX_TRAILING_QTD,
    DEFIDX_TRAILING_YTD,
    DEFIDX_TRAILING_3M,      /* from the last value on or before the same day 3 months before the */
    DEFIDX_TRAILING_6M,      /* end of the last value's month (ffn's anchors) */
    DEFIDX_TRAILING_1Y,
    DEFIDX_TRAILING_3Y,      /* likewise, annualised */
    DEFIDX_TRAILING_5Y,
    DEFIDX_TRAILING_10Y,
    DEFIDX_TRAILING_INCEP,   /* the CAGR since the first value */
    DEFIDX_TRAILING_COUNT
};
/* "mtd", "qtd", "ytd", "3m", "6m", "1y", "3y", "5y", "10y", "incep"; NULL for another value. */
DEFIDX_EXTERN const char *defidx_trailing_name(int trailing);

/* Figures of one set of simple returns, annualised with its periods per year F. NAN where a figure
 * is undefined: a mean needs one return, vol and Sharpe two, skew three, kurtosis four; Sharpe and
 * Sortino are NAN when their deviation is 0 (a flat series). */
typedef struct defidx_risk {
    size_t count;    /* the returns */
    double mean;     /* arithmetic mean x F */
    double vol;      /* sample standard deviation (n - 1) x sqrt(F) */
    double sharpe;   /* mean(r - rf/F) / sd(r - rf/F) x sqrt(F) */
    double sortino;  /* mean(r - rf/F) x F / (sqrt(mean(min(r - rf/F, 0)^2)) x sqrt(F)) */
    double best, worst;
    double skew;     /* pandas' bias-corrected skewness */
    double kurtosis; /* pandas' bias-corrected excess kurtosis */
} defidx_risk;

/* A drawdown episode: from the first value below a running maximum to the first value back at it. */
typedef struct defidx_drawdown {
    int32_t start, trough;
    int32_t end;          /* DEFIDX_NO_DATE: not recovered by the last value */
    int32_t length_days;  /* calendar days from start to end, or to the last value when open */
    double depth;         /* the lowest level / running maximum - 1 in it (negative) */
} defidx_drawdown;

/* One calendar year of returns: each month's from the last value of the month before (the first
 * value for the first month), and the year's likewise. NAN for a month without values, and for the
 * first month when it holds nothing but the first value; a first year that holds nothing but the
 * first value (a base on 31 December) is left out. */
typedef struct defidx_calendar_year {
    int year;
    double months[12];
    double year_return;
} defidx_calendar_year;

/* The index against a benchmark, on the dates both have a value. */
typedef struct defidx_benchmark_stats {
    int32_t start, end;       /* the benchmark's first and last value used; DEFIDX_NO_DATE: none */
    size_t common_count;      /* the common dates */
    double periods_per_year;  /* F of the returns between common dates: the options', else
                                 inferred from their gaps (a monthly benchmark gives 12) */
    double beta;              /* cov(r, b) / var(b), sample */
    double correlation;
    double tracking_error;    /* sd(r - b) x sqrt(F) */
    double information_ratio; /* mean(r - b) x F / tracking_error */
    double alpha;             /* (mean(r - rf/F) - beta x mean(b - rf/F)) x F */
    double up_capture;        /* compound r / compound b over the returns where b > 0 */
    double down_capture;      /* the same where b <= 0 (PerformanceAnalytics' UpDownRatios) */
    double trailing[DEFIDX_TRAILING_COUNT]; /* the benchmark's own, on its own values over the
                                               series' span: from its last value on or before the
                                               series' first date to the series' last date; all NAN
                                               when it ends before that date (another period) */
} defidx_benchmark_stats;

/* A series of levels: values[k] on dates[k], dates ascending; a NAN value is no value. */
typedef struct defidx_level_series {
    size_t count;
    const int32_t *dates;
    const double *values;
} defidx_level_series;

typedef struct defidx_stats_options {
    int version;             /* DEFIDX_OPTIONS_VERSION */
    double periods_per_year; /* F of the returns between values; 0 (default): inferred from the
                                median gap between values (docs/methodology.md "Statistics") */
    double risk_free;        /* an annual rate, as a fraction; default 0 */
    int32_t end;             /* the last date used; DEFIDX_NO_DATE (default): the last value */
} defidx_stats_options;
#define DEFIDX_STATS_OPTIONS_INIT {.version = DEFIDX_OPTIONS_VERSION, .end = DEFIDX_NO_DATE}
DEFIDX_EXTERN void defidx_stats_options_init(defidx_stats_options *o);

typedef struct defidx_stats {
    int32_t start, end;          /* the first and last value used */
    size_t observations;
    const char *frequency;       /* "daily", "weekly", "monthly", "quarterly", "yearly", or "custom"
                                    when periods_per_year was given */
    double periods_per_year, risk_free;
    double total_return;         /* last / first - 1 */
    double cagr;                 /* (last / first)^(365.25 / calendar days) - 1 */
    double calmar;               /* cagr / |max_drawdown| */
    double max_drawdown;         /* <= 0 */
    defidx_risk period;          /* over the returns between values */
    defidx_risk monthly;         /* between month-end values (the last of each month), F = 12 */
    defidx_risk yearly;          /* between year-end values, F = 1 */
    double trailing[DEFIDX_TRAILING_COUNT];
    size_t drawdown_count;
    defidx_drawdown *drawdowns;  /* in date order */
    double avg_drawdown, avg_drawdown_days;
    size_t year_count;
    defidx_calendar_year *calendar;
    double win_months, win_years; /* the share of positive monthly and yearly returns above */
    int has_benchmark;
    defidx_benchmark_stats benchmark;
} defidx_stats;

/* The statistics of series, and against benchmark when it is not NULL; o may be NULL (the
 * defaults). Returns 0, DEFIDX_EUSAGE (a newer options version, periods_per_year or risk_free out
 * of range, dates not ascending, a value 0 or below or infinite) or DEFIDX_ENOMEM; *out is freed
 * with defidx_stats_free. A series without a value gives figures that are all NAN. */
DEFIDX_EXTERN int defidx_stats_compute(const defidx_level_series *series, const defidx_level_series *benchmark,
                                       const defidx_stats_options *o, defidx_stats **out, defidx_error *err);
DEFIDX_EXTERN void defidx_stats_free(defidx_stats *s);

/* Rolling figures over the last `window` returns (2 to 100000) of series, into returns and vols
 * (series->count entries each): at a value, its return over the window (the value over the one
 * `window` values before it, - 1) and the sample standard deviation of the window's returns x
 * sqrt(F), F being periods_per_year or, when 0, inferred as defidx_stats_compute infers it. NAN
 * where the series has no value, and before `window` returns. Returns 0, DEFIDX_EUSAGE (a window
 * or F out of range) or DEFIDX_ENOMEM. */
DEFIDX_EXTERN int defidx_rolling(const defidx_level_series *series, size_t window, double periods_per_year,
                                 double *returns, double *vols, defidx_error *err);

/* ---- the computation, one day at a time ------------------------------------------------------ */

/* defidx_compute feeds a finished panel to the engine one date at a time; a source that reads
 * prices in date order (a date-sorted file, a database cursor) can do the same without holding
 * them all: memory then grows with tickers and dates, not with rows.
 *
 * One trading day as a source hands it over. Ticker k is the same ticker on every day; the list
 * only grows (a source appends tickers as it meets them). Arrays are borrowed for the call. */
typedef struct defidx_day {
    int32_t date;
    int32_t next;                   /* the next date with prices; DEFIDX_NO_DATE after the last */
    size_t ticker_count;            /* tickers known so far */
    const char *const *tickers;
    const char *const *currencies;  /* quote currency of each ticker; NULL (or a NULL entry) when
                                       the prices do not say */
    const double *close;            /* ticker_count closes of this date, NAN where none */
    const double *shares;           /* the last share count given on or before date, NAN where none;
                                       NULL when the source has none at all */
    const double *free_float;       /* likewise */
    /* The tickers with a close this date (indexes into close), priced_count of them, so that a day
     * costs its rows, not every ticker met; NULL: the engine looks at every ticker's close. */
    const uint32_t *priced;
    size_t priced_count;
} defidx_day;

typedef struct defidx_run defidx_run;

/* Starts a computation. spec, fx and opt (with what it points to) are borrowed until
 * defidx_run_finish or defidx_run_free. */
DEFIDX_EXTERN int defidx_run_start(const defidx_spec *spec, const defidx_fx *fx, const defidx_options *opt,
                     defidx_run **out, defidx_error *err);
/* Computes one day. Dates must ascend and day->next must be the date of the next call. */
DEFIDX_EXTERN int defidx_run_day(defidx_run *run, const defidx_day *day, defidx_error *err);
/* Ends the pass and reports; tickers lists every ticker the source has met (for the warning about
 * tickers an index definition leaves out). Frees run, whatever the outcome. */
DEFIDX_EXTERN int defidx_run_finish(defidx_run *run, size_t ticker_count, const char *const *tickers,
                      defidx_result **out, defidx_error *err);
DEFIDX_EXTERN void defidx_run_free(defidx_run *run);

/* Computes an index from one price file: defidx_load_prices, defidx_panel_finish and
 * defidx_compute in one call (load warnings go to w). A plain long CSV sorted by date (see
 * docs/formats.md, "The one-pass path") is read in one pass without a panel, in memory that grows
 * with tickers and dates, not rows; any other file, or load->reader DEFIDX_READER_PANEL, takes the
 * panel. Both give the same result to the last bit: a file in which the one pass meets a spike
 * (opt->max_jump) is left to the panel, which knows the row to name. */
DEFIDX_EXTERN int defidx_compute_file(const char *path, const defidx_load_options *load, const defidx_spec *spec,
                        const defidx_fx *fx, const defidx_options *opt, defidx_result **out,
                        defidx_warnings *w, defidx_error *err);

/* ---- tables and output ---------------------------------------------------------------------- */

enum defidx_format {
    DEFIDX_FORMAT_TABLE = 0, /* an aligned table, for people at a terminal */
    DEFIDX_FORMAT_TSV,
    DEFIDX_FORMAT_CSV,
    DEFIDX_FORMAT_JSON,
    DEFIDX_FORMAT_MD,        /* Markdown, for people */
    DEFIDX_FORMAT_HTML,      /* a self-contained HTML document, for people */
    DEFIDX_FORMAT_XLSX,      /* an Excel workbook (binary): real dates, numbers, percent formats */
    DEFIDX_FORMAT_COUNT
};
/* "table", "tsv", "csv", "json", "md", "html" to the enum; -1 when unknown. */
DEFIDX_EXTERN int defidx_format_parse(const char *name);
/* And back: the name of a format, NULL when fmt is none. */
DEFIDX_EXTERN const char *defidx_format_name(int fmt);
/* The format a file name extension (lower case, without the dot) means: a format's name or its
 * files' usual extension ("txt" for table), or "htm" for html; -1 when none. */
DEFIDX_EXTERN int defidx_format_of_extension(const char *ext);
/* The usual extension of a format's files: "txt" for table, else the format's name; NULL when fmt
 * is none. */
DEFIDX_EXTERN const char *defidx_format_extension(int fmt);

enum defidx_cell_kind { DEFIDX_CELL_NULL = 0, DEFIDX_CELL_TEXT, DEFIDX_CELL_NUMBER, DEFIDX_CELL_DATE };

/* A cell. Numbers print with full precision in machine formats and with `decimals` decimals in
 * tables. percent 1 (a return): multiplied by 100, signed and suffixed with % in tables only;
 * percent 2 (a share such as a weight): the same without the sign. mark, when not 0, is a
 * printable ASCII character the formats for people (aligned table, Markdown, HTML) write after
 * the value, such as the '*' of a stale price that a note below the table explains; the aligned
 * table keeps a marked column's values aligned. Machine formats leave it out. */
typedef struct defidx_cell {
    int kind;
    const char *text; /* borrowed; must outlive the table's emission */
    double number;
    int32_t date;
    signed char decimals;
    signed char percent;
    char mark;
} defidx_cell;

/* A rectangular table: a header and rows of cells, row-major. */
typedef struct defidx_table {
    size_t column_count;
    size_t row_count;
    const char **header;   /* column_count names */
    defidx_cell *cells;    /* row_count * column_count cells */
    size_t capacity;       /* rows allocated */
} defidx_table;

/* Starts a table with the given header (borrowed). */
DEFIDX_EXTERN int defidx_table_init(defidx_table *t, size_t column_count, const char **header);
/* Appends a row of NULL cells and returns it, or NULL when out of memory. The pointer is valid
 * until the next row is added. */
DEFIDX_EXTERN defidx_cell *defidx_table_add_row(defidx_table *t);
DEFIDX_EXTERN void defidx_table_free(defidx_table *t);

/* Cell constructors. */
DEFIDX_EXTERN defidx_cell defidx_cell_null(void);
DEFIDX_EXTERN defidx_cell defidx_cell_text(const char *text);
DEFIDX_EXTERN defidx_cell defidx_cell_number(double x, int decimals);
DEFIDX_EXTERN defidx_cell defidx_cell_percent(double fraction, int decimals);
DEFIDX_EXTERN defidx_cell defidx_cell_share(double fraction, int decimals);
DEFIDX_EXTERN defidx_cell defidx_cell_date(int32_t date);

/* How the emitters below dress their output: DEFIDX_EMIT_OPTIONS_INIT or defidx_emit_options_init
 * gives the defaults, which a NULL options pointer means too. */
typedef struct defidx_emit_options {
    int version; /* DEFIDX_OPTIONS_VERSION */
    int header;  /* 1 (default): the header row in table, tsv, csv, md and html; 0 leaves it out
                    (--no-header). JSON has no header row and ignores it. */
    int color;   /* 1: ANSI colours in the aligned table only (returns green/red, headings bold);
                    every other format ignores it. Default 0: the caller decides (a terminal,
                    NO_COLOR, TERM=dumb). */
    /* The aligned table of a compute result only: a "trend" column whose cells are these strings
     * (UTF-8 or ASCII sparklines, see defidx_sparkline): spark[0] for the index's row in the
     * periods table (the level), spark[1 + k] for constituent k in the result's order. NULL: no
     * such column. A NULL entry is an empty cell. */
    const char *const *spark;
    /* The aligned table of a compute result only: the most characters (UTF-8 characters, not
     * bytes) a line may take. When the constituents table is wider, its columns are left out in
     * the order of docs/formats.md ("Fitting the terminal": contributions, then returns, oldest
     * base first) until it fits, never ticker, price or weight, and a line under it says which;
     * the title and notes are wrapped. 0 (default): unlimited, every column. */
    size_t width;
    /* A compute result's constituents table: its columns, comma-separated, in the order shown
     * (ticker, name, currency, price, price_date, stale, weight, trend (spark's sparklines, empty
     * without them), a period's name for its return such as ytd or since:2022-02-23, contrib_ and
     * a period's name for its contribution).
     * In table, md and html the table shows exactly these, and nothing is left out to fit width;
     * csv and tsv write one row per constituent with these columns instead of the long table;
     * JSON keeps its schema and ignores it. An unknown or repeated name is DEFIDX_EUSAGE naming
     * the valid ones. NULL (default): the report's columns, and the long table in csv and tsv. */
    const char *columns;
} defidx_emit_options;
#define DEFIDX_EMIT_OPTIONS_INIT {.version = DEFIDX_OPTIONS_VERSION, .header = 1}
DEFIDX_EXTERN void defidx_emit_options_init(defidx_emit_options *o);

/* Writes t in fmt: an aligned table, TSV, CSV (RFC 4180), JSON (an array of objects keyed by the
 * header) or a Markdown table, and flushes out. o may be NULL (the defaults). Returns 0,
 * DEFIDX_EWRITE, DEFIDX_ENOMEM, or DEFIDX_EUSAGE for an unknown format. */
DEFIDX_EXTERN int defidx_emit_table(FILE *out, const defidx_table *t, int fmt, const defidx_emit_options *o,
                                    defidx_error *err);

/* Writes a compute result: the report docs/formats.md describes for fmt ("Output"). o may be NULL
 * (the defaults). */
DEFIDX_EXTERN int defidx_emit_result(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                                     defidx_error *err);

/* What defidx_emit_stats writes: an index's statistics (defidx_stats_compute) and, with `defidx
 * stats --each`, each constituent's. */
typedef struct defidx_stats_report {
    const char *name;            /* the index's name, for the title */
    const char *currency;        /* its currency, or NULL */
    const char *benchmark;       /* the benchmark's name, NULL without one */
    const defidx_stats *stats;
    size_t each_count;           /* constituents with their own figures (0: none) */
    const char *const *each_names;
    const defidx_stats *const *each;
    const defidx_warnings *warnings; /* JSON's "warnings"; NULL: none */
} defidx_stats_report;

/* Writes the statistics in fmt (docs/formats.md "stats"): for people (table, md, html) a title and
 * the sections summary, trailing returns, returns and risk, the five deepest drawdowns, the
 * calendar, the benchmark and the constituents; for programs (csv, tsv) one row per figure:
 * series, figure (the JSON key's path: "period.vol", "trailing.3m", "calendar.2024.03"), value;
 * JSON the object of the schema "defidx.stats/1". */
DEFIDX_EXTERN int defidx_emit_stats(FILE *out, const defidx_stats_report *r, int fmt, const defidx_emit_options *o,
                                    defidx_error *err);

/* ---- text for people -------------------------------------------------------------------------- */

/* text (NULL: "") as written for people, into buf (NUL-terminated; cut before a character or an
 * escape that does not fit whole): each byte of a C0 control, DEL, a C1 control (U+0080..U+009F)
 * or of what is not UTF-8 becomes the four characters \xHH (lower-case hex), so that no text from
 * the data can move a terminal's cursor, change its colours or start a line of its own; printable
 * UTF-8 (and the backslash) stays as it is. Returns the length of the whole escaped text, as
 * snprintf does: size or more means buf holds a cut copy. */
DEFIDX_EXTERN size_t defidx_text_escape(char *buf, size_t size, const char *text);

/* ---- charts ----------------------------------------------------------------------------------- */

/* A sparkline of values[0..n) into buf (NUL-terminated, truncated to size): one character per
 * value from the lowest to the highest of them, "▁▂▃▄▅▆▇█" (UTF-8, 3 bytes each) or, with ascii,
 * "_.-~=+*#". A NAN value is a blank; all values equal draw the middle character. Returns the
 * number of characters drawn (not bytes). */
DEFIDX_EXTERN size_t defidx_sparkline(const double *values, size_t n, int ascii, char *buf, size_t size);

/* One line of a chart: values[k] on dates[k] (ascending; NAN values are gaps). */
typedef struct defidx_chart_line {
    const char *label;
    size_t count;
    const int32_t *dates;
    const double *values;
} defidx_chart_line;

typedef struct defidx_chart_options {
    int version;                     /* DEFIDX_OPTIONS_VERSION */
    int width, height;               /* in px; defidx_chart_options_init: 800 x 400 */
    int32_t from;                    /* the first date shown; DEFIDX_NO_DATE: the base date */
    const defidx_chart_line *extra;  /* more lines drawn under the index's (e.g. constituents
                                        rebased); NULL with extra_count 0 for none */
    size_t extra_count;
    int rebased;                     /* 1: the index's line is drawn rebased to 100 on the first
                                        date shown (its first level there), as
                                        defidx_chart_rebased_lines rebases the extra lines; the
                                        axis, the last value and the high's label are on that
                                        scale, and a line under the title says so. 0 (default):
                                        levels as they are */
    int drawdown;                    /* 1: a panel under the chart (and under height, which the
                                        SVG grows by) of the index's drawdown from its all-time
                                        high, in percent: "underwater". 0 (default): none */
} defidx_chart_options;
#define DEFIDX_CHART_OPTIONS_INIT {.version = DEFIDX_OPTIONS_VERSION, .width = 800, .height = 400, .from = DEFIDX_NO_DATE}
DEFIDX_EXTERN void defidx_chart_options_init(defidx_chart_options *o);

/* Writes an SVG chart of the result's level from o->from to the as-of date: axes with round
 * ticks, one line per series, a dashed vertical marker at the base of each period but 1d (wtd,
 * mtd, ytd, since...), the last value labelled and the all-time high marked. The text depends on
 * nothing but the arguments (no clock, locale or random ids), so golden files can hold it. */
DEFIDX_EXTERN int defidx_chart_svg(FILE *out, const defidx_result *r, const defidx_chart_options *o, defidx_error *err);

/* The level drawn in a terminal (`defidx chart -O term`): defidx_term_chart_options_init gives the
 * defaults, which a NULL pointer means too. */
typedef struct defidx_term_chart_options {
    int version;      /* DEFIDX_OPTIONS_VERSION */
    int columns;      /* the width in characters, 40 to 1000 (default 80) */
    int rows;         /* the height in lines, 8 to 1000 (default 24): the plot takes all but four */
    int32_t from;     /* the first date shown; DEFIDX_NO_DATE: the base date */
    int utf8;         /* 1 (default): braille dots and box drawing; 0: ASCII only */
    int color;        /* 1: ANSI colours (the line blue, the high red, the markers dim); 0 (default) */
} defidx_term_chart_options;
#define DEFIDX_TERM_CHART_OPTIONS_INIT \
    {.version = DEFIDX_OPTIONS_VERSION, .columns = 80, .rows = 24, .from = DEFIDX_NO_DATE, .utf8 = 1}
DEFIDX_EXTERN void defidx_term_chart_options_init(defidx_term_chart_options *o);

/* Writes the chart of the result's level from o->from to the as-of date as text for a terminal:
 * a title with the level and the all-time high, the y-axis with round ticks, the line, the high
 * marked, the last value labelled on its row, the date axis, and the period markers (wtd, mtd,
 * ytd, since...) as dotted columns named with their base dates on the last line. Exactly o->rows
 * lines, none wider than o->columns characters (colour sequences aside). */
DEFIDX_EXTERN int defidx_chart_term(FILE *out, const defidx_result *r, const defidx_term_chart_options *o,
                                    defidx_error *err);

/* The result's constituents' prices from p on the result's dates from `from` (DEFIDX_NO_DATE: the
 * base date) to the as-of date, each rebased to 100 on the first of those dates: its last close on
 * or before each date (carried over a missing day, and from before `from`) over its last close on
 * or before the first date, times 100. A constituent without a close by the first date starts at
 * 100 on its first close (NAN before). Lines for defidx_chart_options.extra, with .rebased 1 so
 * that the index starts at 100 too. Labels are the tickers (borrowed from r). Free with
 * defidx_chart_lines_free(lines, count). */
DEFIDX_EXTERN int defidx_chart_rebased_lines(const defidx_panel *p, const defidx_result *r, int32_t from,
                               defidx_chart_line **lines, size_t *count, defidx_error *err);
DEFIDX_EXTERN void defidx_chart_lines_free(defidx_chart_line *lines, size_t count);

/* ---- the factsheet ------------------------------------------------------------------------- */

/* What a factsheet (`defidx factsheet`, docs/formats.md "The factsheet") is made of. Everything is
 * borrowed. */
typedef struct defidx_factsheet {
    const defidx_result *result;   /* computed with breakdowns by country and segment (by) */
    const defidx_stats *stats;     /* the index's statistics to the as-of date (defidx_stats_compute),
                                      with the benchmark's figures when there is one */
    const char *description;       /* a paragraph; NULL or "": one is made from the facts */
    double cap;                    /* the definition's cap on a weight; NAN: none */
    const char *reviews;           /* the review schedule in words; NULL: none, the base's
                                      quantities held */
    int32_t reference;             /* the "since" date of the returns table: one of the result's
                                      since periods; DEFIDX_NO_DATE: the first of them */
    const char *benchmark;         /* the benchmark's name; NULL: none */
    defidx_level_series benchmark_levels; /* its levels in the index's currency (count 0: none) */
    const defidx_chart_line *benchmark_line; /* rebased over the chart's five years, or NULL */
    const char *const *sources;    /* the input files, as named, for "Data" */
    size_t source_count;
} defidx_factsheet;

/* Writes the factsheet: one self-contained HTML page laid out for A4 (print CSS): name,
 * description, key facts, the returns table (1m, 3m, ytd, 1y, 3y and 5y annualised, since the
 * reference date, since the base), the risk table, a chart of the last five years (against the
 * benchmark), the ten largest constituents with country, segment and weight (stale prices
 * marked), the weights by country and segment as bar charts, the data and the as-of date. No
 * script, no external resource; the bytes depend only on the arguments. */
DEFIDX_EXTERN int defidx_emit_factsheet(FILE *out, const defidx_factsheet *f, defidx_error *err);

/* The first date of the factsheet's chart: five years before the as-of date (the 28th for a later
 * day of February's month), or DEFIDX_NO_DATE when the base date is later (all of it is shown).
 * A benchmark_line is rebased from this date. */
DEFIDX_EXTERN int32_t defidx_factsheet_chart_from(const defidx_result *r);

/* ---- the files of a report bundle ---------------------------------------------------------- */

/* The files `defidx report` writes for one as-of date (docs/formats.md, "report"). */
enum defidx_report_file {
    DEFIDX_REPORT_RETURNS_CSV,      /* returns.csv: period, base_date, base_level, return */
    DEFIDX_REPORT_RETURNS_JSON,     /* returns.json: the compute result in JSON */
    DEFIDX_REPORT_CONSTITUENTS_CSV, /* constituents.csv: each constituent's price, weight, returns, contributions */
    DEFIDX_REPORT_CHART_SVG,        /* chart.svg: defidx_chart_svg with the default options */
    DEFIDX_REPORT_TXT,              /* report.txt: the aligned report, then this week's top and bottom movers */
    DEFIDX_REPORT_MD,               /* report.md: the same in Markdown, the chart as an image */
    DEFIDX_REPORT_HTML,             /* report.html: one self-contained page, the chart inlined */
    DEFIDX_REPORT_STATS_JSON,       /* stats.json: defidx_emit_stats in JSON */
    DEFIDX_REPORT_XLSX,             /* report.xlsx: the result's sheets, the series and the statistics */
    DEFIDX_REPORT_FACTSHEET_HTML,   /* factsheet.html: defidx_emit_factsheet */
    DEFIDX_REPORT_FILE_COUNT
};

typedef struct defidx_report_options {
    int version;            /* DEFIDX_OPTIONS_VERSION */
    const char *stamp;      /* NULL, or the generation time the reports show; without it the bytes
                               depend on the result alone */
    const char *chart_svg;  /* the SVG report.html inlines (the bytes of DEFIDX_REPORT_CHART_SVG) */
    size_t chart_svg_len;
    int chart_png;          /* 1: report.html shows <img src="chart.png"> instead, for mail */
    /* The statistics the reports show (summary, drawdowns, calendar, and against the benchmark
     * when it has one) and stats.json holds; NULL: those of the result's levels up to its as-of
     * date, without a benchmark (defidx_stats_compute with the default options). */
    const defidx_stats *stats;
    const char *benchmark;  /* the benchmark's name, with stats that have one */
    const defidx_chart_options *chart; /* chart.svg's; NULL: defidx_chart_options_init's */
    /* Version 2. factsheet.html's parts (its result and stats are the report's); NULL: made from
     * the result and the statistics alone. */
    const defidx_factsheet *factsheet;
} defidx_report_options;
#define DEFIDX_REPORT_OPTIONS_INIT {.version = DEFIDX_OPTIONS_VERSION}
DEFIDX_EXTERN void defidx_report_options_init(defidx_report_options *o);

/* The file's name in the bundle ("report.html"), or NULL for an unknown file. */
DEFIDX_EXTERN const char *defidx_report_file_name(int file);

/* Writes one file of the bundle for r. o may be NULL (no stamp, no chart in the HTML). */
DEFIDX_EXTERN int defidx_emit_report(FILE *out, const defidx_result *r, int file, const defidx_report_options *o,
                       defidx_error *err);

/* Builds the `divisors` table: date, effective, old_divisor, new_divisor, value_before,
 * value_after, reason; one row per divisor change. */
DEFIDX_EXTERN int defidx_divisors_table(const defidx_result *r, defidx_table *t, defidx_error *err);

/* Builds the `series` table (date, level, divisor, constituents) and the `rebase` table (date, then each
 * ticker rebased to 100 at base_date in its quote currency) into t (overwritten, not freed; left
 * empty on error), which the caller frees. The rebase table borrows the panel's ticker names:
 * emit it before freeing the panel. */
DEFIDX_EXTERN int defidx_series_table(const defidx_result *r, defidx_table *t, defidx_error *err);
DEFIDX_EXTERN int defidx_rebase_table(const defidx_panel *p, int32_t base_date, defidx_table *t,
                        defidx_warnings *w, defidx_error *err);

/* The `series` table with two columns more: rolling_return and rolling_vol over the last `window`
 * returns (defidx_rolling). */
DEFIDX_EXTERN int defidx_series_table_rolling(const defidx_result *r, size_t window, double periods_per_year,
                                              defidx_table *t, defidx_error *err);

#ifdef __cplusplus
}
#endif
#endif
