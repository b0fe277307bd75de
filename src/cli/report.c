/* report.c: `defidx report`, the bundle a cron job leaves for mail, dashboards and scripts: one
 * directory per as-of date holding the report as text, Markdown, HTML, CSV, JSON and SVG. The files
 * are rendered in memory, written into a staging directory and renamed into place, and `latest` is
 * a symbolic link replaced by rename(), so that a reader (or a run killed half way) never leaves a
 * half-written file or a `latest` pointing at an incomplete bundle.
 *
 * For mail, which shows no SVG: make a PNG beside the chart with rsvg-convert (Debian package
 * librsvg2-bin), e.g. `cd DIR/latest && rsvg-convert -o chart.png chart.svg`, and run the report
 * again: when DIR/YYYY-MM-DD/chart.png exists, report.html shows it with <img src="chart.png">
 * instead of inlining the SVG. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files of a bundle. A rerun into an existing bundle renames them in this order: the data
 * first, the reports that describe it last. */
enum {
    F_RETURNS_CSV,
    F_RETURNS_JSON,
    F_CONSTITUENTS_CSV,
    F_CHART_SVG,
    F_REPORT_TXT,
    F_REPORT_MD,
    F_REPORT_HTML,
    F_COUNT
};
static const char *const file_names[F_COUNT] = {"returns.csv", "returns.json", "constituents.csv",
                                                "chart.svg",   "report.txt",   "report.md",
                                                "report.html"};

#define MOVERS 3

/* What the renderers share: the result, the as-of date as text, this week's movers and the chart. */
typedef struct report_ctx {
    const cli_report *o;
    const defidx_result *r;
    char date[11];
    long wtd;                  /* the index of the "wtd" period, -1 when the result has none */
    size_t mover_count;        /* how many entries top and bottom hold (at most MOVERS) */
    size_t top[MOVERS];        /* constituents (indices into r) by wtd return, best first */
    size_t bottom[MOVERS];     /* worst first */
    int has_png;               /* chart.png lies beside the bundle's files already */
    const char *svg;           /* the rendered chart, for inlining in the HTML */
    size_t svg_len;
} report_ctx;

/* A file's bytes, rendered in memory before anything touches the disk. */
typedef struct buffer {
    char *data;
    size_t len;
} buffer;

typedef int (*render_fn)(FILE *out, const report_ctx *c, defidx_error *err);

/* ---- small helpers ------------------------------------------------------------------------------ */

/* "a/b" in a new malloc'd string, or NULL when out of memory. */
static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir), m = strlen(name);
    char *p = malloc(n + m + 2);
    if (p) {
        memcpy(p, dir, n);
        p[n] = '/';
        memcpy(p + n + 1, name, m + 1);
    }
    return p;
}

static mode_t current_umask(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return mask;
}

/* Flushes a directory's entries (a rename, a new file) to disk. Returns 0 or errno; filesystems
 * that cannot sync a directory (EINVAL) count as done. */
static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
    close(fd);
    return rc;
}

/* mkdir -p: creates path and its missing parents, 0777 & ~umask each. Returns 0 or errno. */
static int make_dirs(const char *path)
{
    if (!*path)
        return ENOENT;
    char *p = strdup(path);
    if (!p)
        return ENOMEM;
    int rc = 0;
    for (char *s = p + 1; !rc; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char keep = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = errno;
        *s = keep;
        if (!keep)
            break;
    }
    struct stat st;
    if (!rc && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = errno ? errno : ENOTDIR;
    free(p);
    return rc;
}

/* Renders into a buffer through a memory stream. */
static int render(buffer *b, render_fn fn, const report_ctx *c, defidx_error *err)
{
    b->data = NULL;
    b->len = 0;
    FILE *out = open_memstream(&b->data, &b->len);
    if (!out)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = fn(out, c, err);
    if (fflush(out) != 0 || ferror(out)) {
        if (!rc)
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    }
    fclose(out);
    return rc;
}

/* ---- this week's movers ------------------------------------------------------------------------- */

typedef struct mover {
    double ret;
    const char *ticker;
    size_t index;
} mover;

/* Best first; equal returns in ticker order. */
static int mover_desc(const void *a, const void *b)
{
    const mover *x = a, *y = b;
    if (x->ret != y->ret)
        return x->ret > y->ret ? -1 : 1;
    return strcmp(x->ticker, y->ticker);
}

/* Worst first; equal returns in ticker order. */
static int mover_asc(const void *a, const void *b)
{
    const mover *x = a, *y = b;
    if (x->ret != y->ret)
        return x->ret < y->ret ? -1 : 1;
    return strcmp(x->ticker, y->ticker);
}

/* Picks the MOVERS best and worst constituents by their week-to-date return; those without one
 * (no price at the week's base) are left out. */
static int find_movers(report_ctx *c)
{
    const defidx_result *r = c->r;
    c->wtd = -1;
    c->mover_count = 0;
    for (size_t k = 0; k < r->period_count; k++)
        if (strcmp(r->periods[k].name, "wtd") == 0)
            c->wtd = (long)k;
    if (c->wtd < 0 || r->constituent_count == 0)
        return 0;
    mover *m = malloc(r->constituent_count * sizeof *m);
    if (!m)
        return DEFIDX_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *k = &r->constituents[i];
        double ret = k->periods ? k->periods[c->wtd].ret : NAN;
        if (isfinite(ret))
            m[n++] = (mover){ret, k->ticker, i};
    }
    c->mover_count = n < MOVERS ? n : MOVERS;
    qsort(m, n, sizeof *m, mover_desc);
    for (size_t i = 0; i < c->mover_count; i++)
        c->top[i] = m[i].index;
    qsort(m, n, sizeof *m, mover_asc);
    for (size_t i = 0; i < c->mover_count; i++)
        c->bottom[i] = m[i].index;
    free(m);
    return 0;
}

static const char *movers_header[] = {"Ticker", "Name", "Weight", "wtd", "Contrib wtd"};

/* The movers (top or bottom) as a table for the text and Markdown reports. */
static int movers_table(const report_ctx *c, const size_t *which, defidx_table *t)
{
    if (defidx_table_init(t, 5, movers_header))
        return DEFIDX_ENOMEM;
    for (size_t i = 0; i < c->mover_count; i++) {
        const defidx_constituent *k = &c->r->constituents[which[i]];
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(k->ticker);
        row[1] = defidx_cell_text(k->name);
        row[2] = defidx_cell_share(k->weight, 2);
        row[3] = defidx_cell_percent(k->periods[c->wtd].ret, 2);
        row[4] = defidx_cell_percent(k->contribution ? k->contribution[c->wtd] : NAN, 2);
    }
    return 0;
}

/* Both movers sections in fmt (TABLE or MD), each under its heading. */
static int emit_movers(FILE *out, const report_ctx *c, int fmt, defidx_error *err)
{
    if (c->wtd < 0)
        return 0;
    static const char *const titles[2] = {"Top movers this week", "Bottom movers this week"};
    const size_t *lists[2] = {c->top, c->bottom};
    defidx_emit_options eo;
    defidx_emit_options_init(&eo);
    eo.color = 0;
    for (int s = 0; s < 2; s++) {
        fprintf(out, "\n%s%s\n\n", fmt == DEFIDX_FORMAT_MD ? "### " : "", titles[s]);
        if (c->mover_count == 0) {
            fputs("No constituent has a return this week.\n", out);
            continue;
        }
        defidx_table t;
        int rc = movers_table(c, lists[s], &t);
        if (rc)
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        else
            rc = defidx_emit_table_opt(out, &t, fmt, &eo, err);
        defidx_table_free(&t);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- report.txt and report.md ------------------------------------------------------------------- */

/* The aligned-table report, without colour: the compute report, the movers, the stamp. */
static int render_txt(FILE *out, const report_ctx *c, defidx_error *err)
{
    defidx_emit_options eo;
    defidx_emit_options_init(&eo);
    eo.color = 0;
    int rc = defidx_emit_result_opt(out, c->r, DEFIDX_FORMAT_TABLE, &eo, err);
    if (!rc)
        rc = emit_movers(out, c, DEFIDX_FORMAT_TABLE, err);
    if (!rc && c->o->stamp)
        fprintf(out, "\nGenerated %s\n", c->o->stamp);
    return rc;
}

/* The same in Markdown, with the chart as an image beside it. */
static int render_md(FILE *out, const report_ctx *c, defidx_error *err)
{
    defidx_emit_options eo;
    defidx_emit_options_init(&eo);
    int rc = defidx_emit_result_opt(out, c->r, DEFIDX_FORMAT_MD, &eo, err);
    if (!rc)
        rc = emit_movers(out, c, DEFIDX_FORMAT_MD, err);
    if (rc)
        return rc;
    fputs("\n### Chart\n\n![chart](chart.svg)\n", out);
    if (c->o->stamp)
        fprintf(out, "\nGenerated %s\n", c->o->stamp);
    return 0;
}

/* ---- the machine files ---------------------------------------------------------------------------- */

static const char *returns_header[] = {"period", "base_date", "base_level", "return"};

/* returns.csv: one row per period of the index, full precision, fractions, empty when missing. */
static int render_returns_csv(FILE *out, const report_ctx *c, defidx_error *err)
{
    const defidx_result *r = c->r;
    defidx_table t;
    int rc = defidx_table_init(&t, 4, returns_header) ? DEFIDX_ENOMEM : 0;
    for (size_t k = 0; !rc && k < r->period_count; k++) {
        defidx_cell *row = defidx_table_add_row(&t);
        if (!row) {
            rc = DEFIDX_ENOMEM;
            break;
        }
        row[0] = defidx_cell_text(r->periods[k].name);
        row[1] = defidx_cell_date(r->periods[k].base_date);
        row[2] = defidx_cell_number(r->periods[k].base_value, 4);
        row[3] = defidx_cell_percent(r->periods[k].ret, 2);
    }
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table(out, &t, DEFIDX_FORMAT_CSV, err);
    defidx_table_free(&t);
    return rc;
}

/* returns.json: the compute report of CONTRACT.md "Machine output". */
static int render_returns_json(FILE *out, const report_ctx *c, defidx_error *err)
{
    return defidx_emit_result(out, c->r, DEFIDX_FORMAT_JSON, err);
}

/* constituents.csv: ticker, name, currency, price, price_date, weight, then return_P and
 * contribution_P for each period P. The header names live in names until emitted. */
static int render_constituents_csv(FILE *out, const report_ctx *c, defidx_error *err)
{
    static const char *fixed[] = {"ticker", "name", "currency", "price", "price_date", "weight"};
    enum { FIXED = sizeof fixed / sizeof fixed[0] };
    const defidx_result *r = c->r;
    size_t np = r->period_count, columns = FIXED + 2 * np;
    const char **header = malloc(columns * sizeof *header);
    char (*names)[48] = malloc((np ? 2 * np : 1) * sizeof *names);
    defidx_table t;
    memset(&t, 0, sizeof t);
    int rc = header && names ? 0 : DEFIDX_ENOMEM;
    if (!rc) {
        memcpy(header, fixed, sizeof fixed);
        for (size_t k = 0; k < np; k++) {
            snprintf(names[2 * k], sizeof names[0], "return_%s", r->periods[k].name);
            snprintf(names[2 * k + 1], sizeof names[0], "contribution_%s", r->periods[k].name);
            header[FIXED + 2 * k] = names[2 * k];
            header[FIXED + 2 * k + 1] = names[2 * k + 1];
        }
        rc = defidx_table_init(&t, columns, header) ? DEFIDX_ENOMEM : 0;
    }
    for (size_t i = 0; !rc && i < r->constituent_count; i++) {
        const defidx_constituent *k = &r->constituents[i];
        defidx_cell *row = defidx_table_add_row(&t);
        if (!row) {
            rc = DEFIDX_ENOMEM;
            break;
        }
        row[0] = defidx_cell_text(k->ticker);
        row[1] = defidx_cell_text(k->name);
        row[2] = defidx_cell_text(k->currency);
        row[3] = defidx_cell_number(k->price, 4);
        row[4] = defidx_cell_date(k->price_date);
        row[5] = defidx_cell_share(k->weight, 2);
        for (size_t p = 0; p < np; p++) {
            row[FIXED + 2 * p] = defidx_cell_percent(k->periods ? k->periods[p].ret : NAN, 2);
            row[FIXED + 2 * p + 1] =
                defidx_cell_percent(k->contribution ? k->contribution[p] : NAN, 2);
        }
    }
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table(out, &t, DEFIDX_FORMAT_CSV, err);
    defidx_table_free(&t);
    free((void *)header);
    free(names);
    return rc;
}

/* chart.svg: the level from the base date to the as-of date, with the periods' bases marked. */
static int render_chart(FILE *out, const report_ctx *c, defidx_error *err)
{
    defidx_chart_options co;
    defidx_chart_options_init(&co);
    return defidx_chart_svg(out, c->r, &co, err);
}

/* ---- report.html ----------------------------------------------------------------------------------- */

/* The page is written by hand from the result rather than around defidx_emit_result_opt's HTML,
 * which is a whole document of its own: one page, one stylesheet, and classes for the colours of
 * gains and losses. Everything it needs is inline, so that it can be mailed as it is. */
static const char html_style[] =
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--up:#1a7f37;"
    "--down:#cf222e;--accent:#0b3d91}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:#eef1f5;color:var(--fg);"
    "font:14px/1.45 -apple-system,BlinkMacSystemFont,\"Segoe UI\",Helvetica,Arial,sans-serif}\n"
    "main{max-width:1120px;margin:24px auto;padding:28px 32px;background:#fff;"
    "border:1px solid var(--line);border-radius:8px}\n"
    "header{border-bottom:3px solid var(--accent);padding-bottom:12px;margin-bottom:20px}\n"
    "h1{margin:0;font-size:24px;color:var(--accent)}\n"
    "h2{font-size:16px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}\n"
    ".sub{margin:4px 0 0;color:var(--muted)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px}\n"
    ".card{flex:1 1 120px;border:1px solid var(--line);border-radius:6px;padding:10px 12px;"
    "background:var(--soft)}\n"
    ".card .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;"
    "white-space:nowrap}\n"
    ".card .value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}\n"
    ".card .note{font-size:12px;color:var(--muted)}\n"
    "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}\n"
    "th{background:var(--soft);font-size:12px;color:var(--muted);font-weight:600}\n"
    "td.num,th.num{text-align:right}\n"
    "table.compact{width:auto;min-width:50%}\n"
    "table.compact td,table.compact th{padding:5px 18px 5px 8px}\n"
    "tbody tr:nth-child(even){background:#fbfcfd}\n"
    ".up{color:var(--up)}\n"
    ".down{color:var(--down)}\n"
    ".movers{display:flex;flex-wrap:wrap;gap:24px}\n"
    ".movers>div{flex:1 1 420px}\n"
    ".wide{overflow-x:auto}\n"
    "figure{margin:0}\n"
    "figure svg,figure img{display:block;width:100%;height:auto}\n"
    "footer{margin-top:28px;color:var(--muted);font-size:12px}\n";

/* Writes s with the characters HTML gives a meaning escaped. */
static void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: putc(*s, out);
        }
    }
}

/* x with `decimals` decimals, or "-" when missing. */
static const char *fixed_text(double x, int decimals, char *buf, size_t size)
{
    if (defidx_number_fixed(x, decimals, buf, size) == 0)
        snprintf(buf, size, "-");
    return buf;
}

/* A fraction as a percentage with 2 decimals: signed (+1.23%) for a return, plain for a weight;
 * "-" when missing. *cls receives "up", "down" or "" for the colour of a return. */
static const char *percent_text(double x, int sign, char *buf, size_t size, const char **cls)
{
    char digits[64];
    *cls = "";
    if (defidx_number_fixed(x * 100, 2, digits, sizeof digits) == 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    const char *d = digits;
    int negative = d[0] == '-' && strspn(d + 1, "0.") != strlen(d + 1);
    if (d[0] == '-')
        d++; /* "-0.00" is no loss */
    int positive = !negative && strspn(d, "0.") != strlen(d);
    if (sign && (positive || negative))
        *cls = positive ? "up" : "down";
    snprintf(buf, size, "%s%s%%", negative ? "-" : sign && positive ? "+" : "", d);
    return buf;
}

/* A table cell holding a return. */
static void td_return(FILE *out, double x)
{
    char buf[80];
    const char *cls;
    percent_text(x, 1, buf, sizeof buf, &cls);
    fprintf(out, "<td class=\"num%s%s\">%s</td>", cls[0] ? " " : "", cls, buf);
}

/* How a period is called for people: "Week to date" for wtd, "Since 2022-02-23", ... */
static void period_label(FILE *out, const char *name)
{
    static const char *const known[][2] = {
        {"1d", "1 day"}, {"wtd", "Week to date"}, {"mtd", "Month to date"}, {"ytd", "Year to date"}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i][0]) == 0) {
            fputs(known[i][1], out);
            return;
        }
    if (strncmp(name, "since:", 6) == 0) {
        fputs("Since ", out);
        html_text(out, name + 6);
        return;
    }
    html_text(out, name);
}

/* A period's name on a card, where the base date is written below it: "Day", "Week", ... */
static void period_card_label(FILE *out, const char *name)
{
    static const char *const known[][2] = {
        {"1d", "Day"}, {"wtd", "Week"}, {"mtd", "Month"}, {"ytd", "Year"}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i][0]) == 0) {
            fputs(known[i][1], out);
            return;
        }
    if (strncmp(name, "since:", 6) == 0)
        fputs("Since", out);
    else
        html_text(out, name);
}

/* A period's name as a column heading: "1d", "wtd", ..., "since 2022-02-23". */
static void period_heading(FILE *out, const char *name)
{
    if (strncmp(name, "since:", 6) == 0) {
        fputs("since ", out);
        html_text(out, name + 6);
    } else {
        html_text(out, name);
    }
}

/* Periods whose contribution is worth a column: year-to-date and every "since" (as in the text). */
static int shows_contribution(const char *name)
{
    return strcmp(name, "ytd") == 0 || strncmp(name, "since:", 6) == 0;
}

/* The title, the key figures as cards and the periods table. */
static void html_summary(FILE *out, const report_ctx *c)
{
    const defidx_result *r = c->r;
    char buf[80], date[11];
    const char *cls;
    fputs("<header><h1>", out);
    html_text(out, r->name[0] ? r->name : "Index");
    fputs("</h1><p class=\"sub\">", out);
    html_text(out, r->currency);
    fputs(" &middot; ", out);
    html_text(out, r->return_type ? r->return_type : "price");
    fputs(" return &middot; ", out);
    html_text(out, defidx_weighting_name(r->weighting));
    fprintf(out, " weighting &middot; as of %s</p></header>\n", c->date);

    fputs("<section class=\"cards\">\n", out);
    fprintf(out, "<div class=\"card\"><div class=\"label\">Level</div><div class=\"value\">%s</div>"
                 "<div class=\"note\">%s</div></div>\n",
            fixed_text(r->level, 2, buf, sizeof buf), c->date);
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        fputs("<div class=\"card\"><div class=\"label\">", out);
        period_card_label(out, p->name);
        percent_text(p->ret, 1, buf, sizeof buf, &cls);
        fprintf(out, "</div><div class=\"value%s%s\">%s</div>", cls[0] ? " " : "", cls, buf);
        defidx_date_format(p->base_date, date);
        fprintf(out, "<div class=\"note\">from %s</div></div>\n", date[0] ? date : "-");
    }
    defidx_date_format(r->ath_date, date);
    fprintf(out, "<div class=\"card\"><div class=\"label\">All-time high</div>"
                 "<div class=\"value\">%s</div><div class=\"note\">on %s</div></div>\n",
            fixed_text(r->ath_level, 2, buf, sizeof buf), date[0] ? date : "-");
    percent_text(r->drawdown, 1, buf, sizeof buf, &cls);
    fprintf(out, "<div class=\"card\"><div class=\"label\">Drawdown</div>"
                 "<div class=\"value%s%s\">%s</div><div class=\"note\">from the high</div></div>\n",
            cls[0] ? " " : "", cls, buf);
    fputs("</section>\n", out);

    fputs("<h2>Returns</h2>\n<table class=\"compact\">\n<thead><tr><th>Period</th><th class=\"num\">Base date</th>"
          "<th class=\"num\">Base level</th><th class=\"num\">Return</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        fputs("<tr><td>", out);
        period_label(out, p->name);
        defidx_date_format(p->base_date, date);
        fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
                date[0] ? date : "-", fixed_text(p->base_value, 2, buf, sizeof buf));
        td_return(out, p->ret);
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

/* The chart: the PNG beside the page when there is one (mail shows no SVG), else the SVG inline
 * (without its XML declaration, which has no place inside HTML). */
static void html_chart(FILE *out, const report_ctx *c)
{
    const defidx_result *r = c->r;
    char base[11];
    defidx_date_format(r->base_date, base);
    fputs("<h2>Chart</h2>\n<figure>\n", out);
    if (c->has_png) {
        fputs("<img src=\"chart.png\" alt=\"", out);
        html_text(out, r->name[0] ? r->name : "Index");
        fprintf(out, ": level from %s to %s\">\n", base[0] ? base : "the base date", c->date);
    } else {
        const char *svg = c->svg, *end = c->svg + c->svg_len;
        const char *at = NULL;
        for (const char *s = svg; s + 4 <= end; s++)
            if (memcmp(s, "<svg", 4) == 0) {
                at = s;
                break;
            }
        if (at)
            fwrite(at, 1, (size_t)(end - at), out);
        if (c->svg_len && end[-1] != '\n')
            putc('\n', out);
    }
    fputs("</figure>\n", out);
}

/* The movers, side by side. */
static void html_movers(FILE *out, const report_ctx *c)
{
    if (c->wtd < 0)
        return;
    static const char *const titles[2] = {"Top movers this week", "Bottom movers this week"};
    const size_t *lists[2] = {c->top, c->bottom};
    char buf[80];
    const char *cls;
    fputs("<section class=\"movers\">\n", out);
    for (int s = 0; s < 2; s++) {
        fprintf(out, "<div>\n<h2>%s</h2>\n", titles[s]);
        if (c->mover_count == 0) {
            fputs("<p>No constituent has a return this week.</p>\n</div>\n", out);
            continue;
        }
        fputs("<table>\n<thead><tr><th>Ticker</th><th>Name</th><th class=\"num\">Weight</th>"
              "<th class=\"num\">wtd</th><th class=\"num\">Contrib wtd</th></tr></thead>\n<tbody>\n",
              out);
        for (size_t i = 0; i < c->mover_count; i++) {
            const defidx_constituent *k = &c->r->constituents[lists[s][i]];
            fputs("<tr><td>", out);
            html_text(out, k->ticker);
            fputs("</td><td>", out);
            html_text(out, k->name);
            fprintf(out, "</td><td class=\"num\">%s</td>",
                    percent_text(k->weight, 0, buf, sizeof buf, &cls));
            td_return(out, k->periods[c->wtd].ret);
            td_return(out, k->contribution ? k->contribution[c->wtd] : NAN);
            fputs("</tr>\n", out);
        }
        fputs("</tbody>\n</table>\n</div>\n", out);
    }
    fputs("</section>\n", out);
}

/* The constituents table: the same columns as the text report's. */
static void html_constituents(FILE *out, const report_ctx *c)
{
    const defidx_result *r = c->r;
    char buf[80];
    const char *cls;
    fputs("<h2>Constituents</h2>\n<div class=\"wide\">\n<table>\n<thead><tr><th>Ticker</th>"
          "<th>Name</th><th>Ccy</th><th class=\"num\">Price</th><th class=\"num\">Weight</th>",
          out);
    for (size_t k = 0; k < r->period_count; k++) {
        fputs("<th class=\"num\">", out);
        period_heading(out, r->periods[k].name);
        fputs("</th>", out);
    }
    for (size_t k = 0; k < r->period_count; k++)
        if (shows_contribution(r->periods[k].name)) {
            fputs("<th class=\"num\">Contrib ", out);
            period_heading(out, r->periods[k].name);
            fputs("</th>", out);
        }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *k = &r->constituents[i];
        fputs("<tr><td>", out);
        html_text(out, k->ticker);
        fputs("</td><td>", out);
        html_text(out, k->name);
        fputs("</td><td>", out);
        html_text(out, k->currency);
        fprintf(out, "</td><td class=\"num\">%s</td>", fixed_text(k->price, 2, buf, sizeof buf));
        fprintf(out, "<td class=\"num\">%s</td>", percent_text(k->weight, 0, buf, sizeof buf, &cls));
        for (size_t p = 0; p < r->period_count; p++)
            td_return(out, k->periods ? k->periods[p].ret : NAN);
        for (size_t p = 0; p < r->period_count; p++)
            if (shows_contribution(r->periods[p].name))
                td_return(out, k->contribution ? k->contribution[p] : NAN);
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</div>\n", out);
}

static int render_html(FILE *out, const report_ctx *c, defidx_error *err)
{
    (void)err;
    const defidx_result *r = c->r;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    html_text(out, r->name[0] ? r->name : "Index");
    fprintf(out, " &ndash; %s</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", c->date,
            html_style);
    html_summary(out, c);
    html_chart(out, c);
    html_movers(out, c);
    html_constituents(out, c);
    fputs("<footer>defidx " DEFIDX_VERSION, out);
    if (c->o->stamp) {
        fputs(" &middot; Generated ", out);
        html_text(out, c->o->stamp);
    }
    fputs("</footer>\n</main>\n</body>\n</html>\n", out);
    return 0;
}

/* ---- on disk -------------------------------------------------------------------------------------- */

/* Writes b to a new file path (0666 & ~umask), and syncs it. Returns 0 or errno. */
static int write_file(const char *path, const buffer *b)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return errno;
    size_t done = 0;
    int rc = 0;
    while (!rc && done < b->len) {
        ssize_t n = write(fd, b->data + done, b->len - done);
        if (n > 0)
            done += (size_t)n;
        else if (n < 0 && errno != EINTR)
            rc = errno;
    }
    if (!rc && fsync(fd) != 0)
        rc = errno;
    if (close(fd) != 0 && !rc)
        rc = errno;
    return rc;
}

/* Removes a staging directory: the bundle's files in it, then the directory. Errors are ignored:
 * a leftover is cleaned up by a later run. */
static void remove_staging(const char *staging)
{
    for (int f = 0; f < F_COUNT; f++) {
        char *p = path_join(staging, file_names[f]);
        if (p)
            unlink(p);
        free(p);
    }
    rmdir(staging);
}

/* 1 when name is one of the leftovers a killed run can leave in DIR: a staging directory
 * ".YYYY-MM-DD.tmp.XXXXXX" or a link ".latest.tmp.XXXXXX". */
static int is_leftover(const char *name)
{
    const char *tail;
    if (strncmp(name, ".latest.tmp.", 12) == 0) {
        tail = name + 12;
    } else {
        int32_t d;
        if (name[0] != '.' || strlen(name) < 16 || strncmp(name + 11, ".tmp.", 5) != 0 ||
            defidx_date_parse(name + 1, 10, &d, NULL) != 0)
            return 0;
        tail = name + 16;
    }
    return strlen(tail) == 6 && strchr(tail, '/') == NULL;
}

/* Removes what runs killed half way left in DIR. Called with DIR locked, so that no other run can
 * be writing there: every leftover then belongs to a dead process. A staging directory holds only
 * the bundle's files; anything else in it keeps it. Errors are ignored. */
static void remove_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_leftover(e->d_name))
            continue;
        char *p = path_join(dir, e->d_name);
        if (!p)
            break;
        struct stat st;
        if (lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                remove_staging(p);
            else
                unlink(p);
        }
        free(p);
    }
    closedir(d);
}

/* The date `latest` points at now, as days, or DEFIDX_NO_DATE when it is missing or not a date. */
static int32_t latest_date(const char *link)
{
    char target[64];
    ssize_t n = readlink(link, target, sizeof target - 1);
    int32_t d;
    if (n != 10 || defidx_date_parse(target, 10, &d, NULL) != 0)
        return DEFIDX_NO_DATE;
    return d;
}

/* Points DIR/latest at the bundle: a new link under a temporary name, renamed over the old one.
 * A bundle older than the one `latest` points at already (a backfill) leaves it alone. */
static int point_latest(const char *dir, const report_ctx *c, defidx_error *err)
{
    char *latest = path_join(dir, "latest");
    char *tmp = path_join(dir, ".latest.tmp.XXXXXX");
    int rc = 0;
    if (!latest || !tmp) {
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    int32_t now = latest_date(latest);
    if (now != DEFIDX_NO_DATE && now > c->r->as_of)
        goto done;
    size_t n = strlen(tmp);
    int made = 0;
    for (int attempt = 0; attempt < 100 && !made; attempt++) {
        /* mkstemp picks an unused name; the link takes its place. */
        memcpy(tmp + n - 6, "XXXXXX", 6);
        int fd = mkstemp(tmp);
        if (fd < 0)
            break;
        close(fd);
        unlink(tmp);
        if (symlink(c->date, tmp) == 0)
            made = 1;
        else if (errno != EEXIST)
            break;
    }
    if (!made) {
        rc = defidx_error_set(err, DEFIDX_ECREATE, latest, 0, 0,
                              "cannot create the link to %s: %s (hint: DIR must be writable)",
                              c->date, strerror(errno));
        goto done;
    }
    if (rename(tmp, latest) != 0) {
        int e = errno;
        unlink(tmp);
        rc = defidx_error_set(err, DEFIDX_ECREATE, latest, 0, 0,
                              "cannot point latest at %s, whose bundle is written: %s (hint: "
                              "latest must be a symbolic link or absent, not a directory)",
                              c->date, strerror(e));
        goto done;
    }
    sync_dir(dir);
done:
    free(latest);
    free(tmp);
    return rc;
}

/* Moves the staged files into DIR/YYYY-MM-DD: the whole directory in one rename when there is no
 * bundle for the date yet, else file by file over the old ones. On success staging is gone. */
static int commit(const char *dir, const char *staging, const char *final, defidx_error *err)
{
    if (rename(staging, final) == 0) {
        sync_dir(dir);
        return 0;
    }
    if (errno != EEXIST && errno != ENOTEMPTY)
        return defidx_error_set(err, DEFIDX_ECREATE, final, 0, 0,
                                "cannot move the bundle into place: %s (hint: it must be a "
                                "directory or absent)",
                                strerror(errno));
    for (int f = 0; f < F_COUNT; f++) {
        char *from = path_join(staging, file_names[f]);
        char *to = path_join(final, file_names[f]);
        int e = !from || !to ? ENOMEM : rename(from, to) == 0 ? 0 : errno;
        free(from);
        if (e) {
            int rc = e == ENOMEM ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory")
                                 : defidx_error_set(err, DEFIDX_ECREATE, to, 0, 0,
                                                    "cannot replace the file: %s (hint: the "
                                                    "bundle's directory must be writable)",
                                                    strerror(e));
            free(to);
            return rc;
        }
        free(to);
    }
    sync_dir(final);
    rmdir(staging);
    sync_dir(dir);
    return 0;
}

/* Renders every file into bufs, chart.svg first (report.html may inline it). */
static int render_all(report_ctx *c, buffer *bufs, defidx_error *err)
{
    static const render_fn fns[F_COUNT] = {
        [F_RETURNS_CSV] = render_returns_csv,   [F_RETURNS_JSON] = render_returns_json,
        [F_CONSTITUENTS_CSV] = render_constituents_csv, [F_CHART_SVG] = render_chart,
        [F_REPORT_TXT] = render_txt,            [F_REPORT_MD] = render_md,
        [F_REPORT_HTML] = render_html};
    static const int order[F_COUNT] = {F_CHART_SVG,  F_RETURNS_CSV, F_RETURNS_JSON,
                                       F_CONSTITUENTS_CSV, F_REPORT_TXT, F_REPORT_MD,
                                       F_REPORT_HTML};
    for (int i = 0; i < F_COUNT; i++) {
        int f = order[i];
        int rc = render(&bufs[f], fns[f], c, err);
        if (rc)
            return rc;
        if (f == F_CHART_SVG) {
            c->svg = bufs[f].data;
            c->svg_len = bufs[f].len;
        }
    }
    return 0;
}

int cli_report_write(const cli_report *o, const defidx_result *r, defidx_error *err)
{
    report_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.r = r;
    defidx_date_format(r->as_of, c.date);
    if (!c.date[0])
        return defidx_error_set(err, DEFIDX_EINTERNAL, NULL, 0, 0, "the result has no as-of date");
    if (find_movers(&c))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");

    buffer bufs[F_COUNT];
    memset(bufs, 0, sizeof bufs);
    char *final = NULL, *staging = NULL, *png = NULL;
    int dirfd = -1, staged = 0, rc = 0;
    char stage_name[32];
    snprintf(stage_name, sizeof stage_name, ".%s.tmp.XXXXXX", c.date);

    int e = make_dirs(o->out_dir);
    if (e) {
        rc = defidx_error_set(err, DEFIDX_ECREATE, o->out_dir, 0, 0,
                              "cannot create the report directory: %s (hint: check the path and "
                              "the permissions of its parent)",
                              strerror(e));
        goto done;
    }
    final = path_join(o->out_dir, c.date);
    staging = path_join(o->out_dir, stage_name);
    png = final ? path_join(final, "chart.png") : NULL;
    if (!final || !staging || !png) {
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* One run at a time per DIR: a cron job and a backfill must not interleave their renames, and
     * with the lock held any staging directory found belongs to a dead run. */
    dirfd = open(o->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        rc = defidx_error_set(err, DEFIDX_ECREATE, o->out_dir, 0, 0,
                              "cannot open the report directory: %s (hint: it must be readable)",
                              strerror(errno));
        goto done;
    }
    int locked;
    while ((locked = flock(dirfd, LOCK_EX)) != 0 && errno == EINTR)
        ;

    struct stat st;
    c.has_png = stat(png, &st) == 0 && S_ISREG(st.st_mode);
    rc = render_all(&c, bufs, err);
    if (rc)
        goto done;

    if (!mkdtemp(staging)) {
        rc = defidx_error_set(err, DEFIDX_ECREATE, o->out_dir, 0, 0,
                              "cannot create a staging directory: %s (hint: the report directory "
                              "must be writable)",
                              strerror(errno));
        goto done;
    }
    staged = 1;
    /* mkdtemp makes it 0700; renamed into place it becomes the bundle, which should get the
     * permissions any new directory would. */
    if (chmod(staging, 0777 & ~current_umask()) != 0) {
        rc = defidx_error_set(err, DEFIDX_ECREATE, staging, 0, 0,
                              "cannot set the permissions: %s (hint: check the filesystem)",
                              strerror(errno));
        goto done;
    }
    for (int f = 0; f < F_COUNT; f++) {
        char *path = path_join(staging, file_names[f]);
        e = path ? write_file(path, &bufs[f]) : ENOMEM;
        if (e)
            rc = e == ENOMEM ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory")
                             : defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0,
                                                "cannot write the report: %s (hint: is the disk "
                                                "full or the directory read-only?)",
                                                strerror(e));
        free(path);
        if (rc)
            goto done;
    }
    e = sync_dir(staging);
    if (e) {
        rc = defidx_error_set(err, DEFIDX_EWRITE, staging, 0, 0,
                              "cannot sync the staging directory: %s (hint: check the disk)",
                              strerror(e));
        goto done;
    }
    rc = commit(o->out_dir, staging, final, err);
    if (rc)
        goto done;
    staged = 0;
    rc = point_latest(o->out_dir, &c, err);
    if (rc)
        goto done;
    if (locked == 0)
        remove_leftovers(o->out_dir);
    if (o->print) {
        const buffer *b = &bufs[F_REPORT_TXT];
        if (fwrite(b->data, 1, b->len, stdout) != b->len || fflush(stdout) != 0)
            rc = defidx_error_set(err, DEFIDX_EWRITE, "(stdout)", 0, 0,
                                  "cannot write the report: %s (hint: is stdout closed?)",
                                  strerror(errno));
    }
done:
    if (staged)
        remove_staging(staging);
    if (dirfd >= 0)
        close(dirfd); /* releases the lock */
    for (int f = 0; f < F_COUNT; f++)
        free(bufs[f].data);
    free(final);
    free(staging);
    free(png);
    return rc;
}
