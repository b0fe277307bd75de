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
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE: a rerun swaps the whole bundle at once */
#include "report.h"
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The run: its options and result, and what it learns about the chart on the way. */
typedef struct report_ctx {
    const cli_report *o;
    const defidx_result *r;
    char date[11];
    int has_png;       /* chart.png lies beside the bundle's files already, drawn from the very
                          chart.svg rendered now (else it would show old data) */
    char *old_svg;     /* the bundle's chart.svg before this run, when a chart.png is there */
    size_t old_svg_len;
} report_ctx;

#define F_COUNT DEFIDX_REPORT_FILE_COUNT

/* A file's bytes, rendered in memory before anything touches the disk. */
typedef struct buffer {
    char *data;
    size_t len;
} buffer;


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

/* Renders one file of the bundle into a buffer through a memory stream. */
static int render(buffer *b, int file, const defidx_report_options *ro, const report_ctx *c,
                  defidx_error *err)
{
    b->data = NULL;
    b->len = 0;
    FILE *out = open_memstream(&b->data, &b->len);
    if (!out)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = defidx_emit_report(out, c->r, file, ro, err);
    if (fflush(out) != 0 || ferror(out)) {
        if (!rc)
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    }
    fclose(out);
    return rc;
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

/* 1 when name is a file defidx writes into a bundle: one of the seven, or chart.png (kept only
 * while drawn from the bundle's chart.svg). Anything else in a bundle is the user's. */
static int is_ours(const char *name)
{
    for (int f = 0; f < F_COUNT; f++)
        if (strcmp(name, defidx_report_file_name(f)) == 0)
            return 1;
    return strcmp(name, "chart.png") == 0;
}

/* 1 when staging/name is the very file final/name (a hard link carried into the other bundle):
 * removing it from staging then loses nothing. */
static int also_in(const char *staging, const char *final, const char *name)
{
    char *a = path_join(staging, name), *b = final ? path_join(final, name) : NULL;
    struct stat sa, sb;
    int same = a && b && lstat(a, &sa) == 0 && lstat(b, &sb) == 0 && !S_ISDIR(sa.st_mode) &&
               sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    free(a);
    free(b);
    return same;
}

/* Removes a staging directory: the bundle's files in it, and the user's files carried over from
 * (or into) the bundle final, which final holds too; then the directory. Anything else keeps it:
 * a file found nowhere else is the user's only copy. Errors are ignored: a leftover is cleaned up
 * by a later run. */
static void remove_staging(const char *staging, const char *final)
{
    DIR *d = opendir(staging);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            if (!is_ours(e->d_name) && !also_in(staging, final, e->d_name))
                continue;
            char *p = path_join(staging, e->d_name);
            if (p)
                unlink(p);
            free(p);
        }
        closedir(d);
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
 * be writing there: every leftover then belongs to a dead process. A staging directory goes with
 * the bundle's files and the user's files that its date's bundle holds too (see remove_staging);
 * anything else in it keeps it. Errors are ignored. */
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
            if (S_ISDIR(st.st_mode)) {
                char date[11];
                memcpy(date, e->d_name + 1, 10); /* ".YYYY-MM-DD.tmp.XXXXXX" */
                date[10] = '\0';
                char *final = path_join(dir, date);
                remove_staging(p, final);
                free(final);
            } else {
                unlink(p);
            }
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
        int e = errno;
        rc = defidx_error_set(err, DEFIDX_ECREATE, latest, 0, 0,
                              "cannot create the link to %s: %s (hint: DIR must be writable)",
                              c->date, strerror(e));
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

/* Refuses (73) a DIR/latest that exists and is not a symbolic link: a file or directory of that
 * name is the user's, never replaced. Checked before anything is written, under the lock. */
static int check_latest(const char *dir, defidx_error *err)
{
    char *latest = path_join(dir, "latest");
    if (!latest)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    struct stat st;
    int rc = 0;
    if (lstat(latest, &st) == 0 && !S_ISLNK(st.st_mode))
        rc = defidx_error_set(err, DEFIDX_ECREATE, latest, 0, 0,
                              "latest is not a symbolic link; nothing is written (hint: move it "
                              "away: defidx points latest at the newest bundle)");
    free(latest);
    return rc;
}

/* Keeps the bundle's chart.png for the new one when it was drawn from the same chart.svg (a
 * rerun on the same data): a hard link into staging, so that the swap below carries it along. */
static void carry_png(const report_ctx *c, const char *staging, const char *final)
{
    if (!c->has_png)
        return;
    char *from = path_join(final, "chart.png"), *to = path_join(staging, "chart.png");
    if (from && to)
        (void)link(from, to); /* if it fails, the bundle shows the SVG the HTML inlines anyway */
    free(from);
    free(to);
}

/* Carries the user's files (anything in the old bundle final that defidx does not write) into
 * staging as hard links, so that the swap below keeps them in the bundle: a file or symbolic link
 * the user put there stays, with its bytes, and nothing of theirs ends up in the hidden old bundle.
 * A directory (or a file that cannot be linked) cannot be carried in one step: the rerun is refused
 * (73) naming it, before the old bundle is touched. */
static int carry_user_files(const char *staging, const char *final, defidx_error *err)
{
    DIR *d = opendir(final);
    if (!d)
        return defidx_error_set(err, DEFIDX_ECREATE, final, 0, 0,
                                "cannot read the bundle: %s (hint: it must be a readable directory)",
                                strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || is_ours(e->d_name))
            continue;
        char *from = path_join(final, e->d_name), *to = path_join(staging, e->d_name);
        struct stat st;
        if (!from || !to)
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        else if (lstat(from, &st) == 0 && S_ISDIR(st.st_mode))
            rc = defidx_error_set(err, DEFIDX_ECREATE, from, 0, 0,
                                  "a directory in the bundle cannot be kept by a rerun (hint: move "
                                  "it out of the bundle, which keeps only files of its own)");
        else if (link(from, to) != 0)
            rc = defidx_error_set(err, DEFIDX_ECREATE, from, 0, 0,
                                  "cannot keep this file in the new bundle: %s (hint: move it out "
                                  "of the bundle)",
                                  strerror(errno));
        free(from);
        free(to);
    }
    closedir(d);
    return rc;
}

/* Moves the staged files into DIR/YYYY-MM-DD: the whole directory in one rename when there is no
 * bundle for the date yet; over an older bundle, both directories swapped in one step
 * (RENAME_EXCHANGE), the old one then removed, so that a reader or a kill sees one bundle or the
 * other, never a mix. Where the filesystem cannot swap, file by file over the old ones (each
 * file whole, the set mixed until the last rename). On success staging is gone. */
static int commit(const report_ctx *c, const char *dir, const char *staging, const char *final,
                  defidx_error *err)
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
    int rc = carry_user_files(staging, final, err);
    if (rc)
        return rc;
    carry_png(c, staging, final);
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, staging, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
        sync_dir(dir);
        remove_staging(staging, final); /* now the old bundle */
        return 0;
    }
#endif
    if (!c->has_png) { /* a chart.png of another chart must not stay beside the new one */
        char *png = path_join(final, "chart.png");
        if (png)
            unlink(png);
        free(png);
    }
    for (int f = 0; f < F_COUNT; f++) {
        char *from = path_join(staging, defidx_report_file_name(f));
        char *to = path_join(final, defidx_report_file_name(f));
        int e = !from || !to ? ENOMEM : rename(from, to) == 0 ? 0 : errno;
        free(from);
        if (e) {
            rc = e == ENOMEM ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory")
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
    remove_staging(staging, final); /* only the links to the user's files are left in it */
    sync_dir(dir);
    return 0;
}

/* Reads final/chart.svg into c->old_svg, when it can: a chart.png beside it was drawn from it. */
static void read_old_svg(const char *final, report_ctx *c)
{
    char *path = path_join(final, "chart.svg");
    FILE *f = path ? fopen(path, "rb") : NULL;
    free(path);
    if (!f)
        return;
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    for (size_t n; data && (n = fread(data + len, 1, cap - len, f)) > 0;) {
        len += n;
        char *grown = len == cap ? realloc(data, cap *= 2) : data;
        if (!grown) {
            free(data);
            data = NULL;
        }
        data = grown;
    }
    if (data && !ferror(f)) {
        c->old_svg = data;
        c->old_svg_len = len;
    } else {
        free(data);
    }
    fclose(f);
}

/* Renders every file into bufs, chart.svg first: report.html inlines it, or shows the chart.png
 * drawn from it. */
static int render_all(report_ctx *c, buffer *bufs, defidx_error *err)
{
    defidx_report_options ro;
    defidx_report_options_init(&ro);
    ro.stamp = c->o->stamp;
    ro.stats = c->o->stats;
    ro.benchmark = c->o->benchmark;
    ro.chart = c->o->chart;
    ro.factsheet = c->o->factsheet;
    int rc = render(&bufs[DEFIDX_REPORT_CHART_SVG], DEFIDX_REPORT_CHART_SVG, &ro, c, err);
    if (rc)
        return rc;
    const buffer *svg = &bufs[DEFIDX_REPORT_CHART_SVG];
    c->has_png = c->old_svg && c->old_svg_len == svg->len && memcmp(c->old_svg, svg->data, svg->len) == 0;
    ro.chart_svg = svg->data;
    ro.chart_svg_len = svg->len;
    ro.chart_png = c->has_png;
    for (int f = 0; f < F_COUNT && !rc; f++)
        if (f != DEFIDX_REPORT_CHART_SVG)
            rc = render(&bufs[f], f, &ro, c, err);
    return rc;
}

/* The bundle's paths under DIR: DIR/YYYY-MM-DD, the staging directory's mkdtemp template
 * DIR/.YYYY-MM-DD.tmp.XXXXXX, and DIR/YYYY-MM-DD/chart.png. */
typedef struct bundle_paths {
    char *final, *staging, *png;
} bundle_paths;

/* Creates DIR when missing and fills p (free with free_paths). */
static int prepare_dir(const char *dir, const char *date, bundle_paths *p, defidx_error *err)
{
    int e = make_dirs(dir);
    if (e)
        return defidx_error_set(err, DEFIDX_ECREATE, dir, 0, 0,
                                "cannot create the report directory: %s (hint: check the path and "
                                "the permissions of its parent)",
                                strerror(e));
    char stage_name[32];
    snprintf(stage_name, sizeof stage_name, ".%s.tmp.XXXXXX", date);
    p->final = path_join(dir, date);
    p->staging = path_join(dir, stage_name);
    p->png = p->final ? path_join(p->final, "chart.png") : NULL;
    if (!p->final || !p->staging || !p->png)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

static void free_paths(bundle_paths *p)
{
    free(p->final);
    free(p->staging);
    free(p->png);
}

/* One run at a time per DIR: a cron job and a backfill must not interleave their renames, and
 * with the lock held any staging directory found belongs to a dead run. *dirfd is DIR, open until
 * the caller closes it (which releases the lock); *locked is flock's result (a filesystem without
 * locks still gets its bundle, but leftovers are then left alone). */
static int lock_dir(const char *dir, int *dirfd, int *locked, defidx_error *err)
{
    *dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*dirfd < 0)
        return defidx_error_set(err, DEFIDX_ECREATE, dir, 0, 0,
                                "cannot open the report directory: %s (hint: it must be readable)",
                                strerror(errno));
    while ((*locked = flock(*dirfd, LOCK_EX)) != 0 && errno == EINTR)
        ;
    return 0;
}

/* Writes the rendered files into a new staging directory (from the template staging), with the
 * permissions any new directory would get, and syncs it. *staged says whether it exists. */
static int stage(const char *dir, char *staging, const buffer *bufs, int *staged, defidx_error *err)
{
    if (!mkdtemp(staging))
        return defidx_error_set(err, DEFIDX_ECREATE, dir, 0, 0,
                                "cannot create a staging directory: %s (hint: the report directory "
                                "must be writable)",
                                strerror(errno));
    *staged = 1;
    /* mkdtemp makes it 0700; renamed into place it becomes the bundle */
    if (chmod(staging, 0777 & ~cli_umask()) != 0)
        return defidx_error_set(err, DEFIDX_ECREATE, staging, 0, 0,
                                "cannot set the permissions: %s (hint: check the filesystem)",
                                strerror(errno));
    for (int f = 0; f < F_COUNT; f++) {
        char *path = path_join(staging, defidx_report_file_name(f));
        int e = path ? write_file(path, &bufs[f]) : ENOMEM;
        int rc = !e ? 0
                 : e == ENOMEM ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory")
                               : defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0,
                                                  "cannot write the report: %s (hint: is the disk "
                                                  "full or the directory read-only?)",
                                                  strerror(e));
        free(path);
        if (rc)
            return rc;
    }
    int e = sync_dir(staging);
    if (e)
        return defidx_error_set(err, DEFIDX_EWRITE, staging, 0, 0,
                                "cannot sync the staging directory: %s (hint: check the disk)", strerror(e));
    return 0;
}

/* --print: report.txt on stdout, for cron to mail. */
static int print_txt(const buffer *b, defidx_error *err)
{
    if (fwrite(b->data, 1, b->len, stdout) != b->len || fflush(stdout) != 0)
        return defidx_error_set(err, DEFIDX_EWRITE, "(stdout)", 0, 0,
                                "cannot write the report: %s (hint: is stdout closed?)", strerror(errno));
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
    buffer bufs[F_COUNT];
    memset(bufs, 0, sizeof bufs);
    bundle_paths p = {NULL, NULL, NULL};
    int dirfd = -1, locked = -1, staged = 0;
    int rc = prepare_dir(o->out_dir, c.date, &p, err);
    if (!rc)
        rc = lock_dir(o->out_dir, &dirfd, &locked, err);
    if (!rc)
        rc = check_latest(o->out_dir, err);
    if (!rc) {
        struct stat st;
        if (stat(p.png, &st) == 0 && S_ISREG(st.st_mode))
            read_old_svg(p.final, &c);
        rc = render_all(&c, bufs, err);
    }
    if (!rc)
        rc = stage(o->out_dir, p.staging, bufs, &staged, err);
    if (!rc && !(rc = commit(&c, o->out_dir, p.staging, p.final, err)))
        staged = 0; /* the staging directory is the bundle now, or gone */
    if (!rc)
        rc = point_latest(o->out_dir, &c, err);
    if (!rc && locked == 0)
        remove_leftovers(o->out_dir);
    if (!rc && o->print)
        rc = print_txt(&bufs[DEFIDX_REPORT_TXT], err);
    if (staged)
        remove_staging(p.staging, p.final);
    if (dirfd >= 0)
        close(dirfd); /* releases the lock */
    for (int f = 0; f < F_COUNT; f++)
        free(bufs[f].data);
    free_paths(&p);
    free(c.old_svg);
    return rc;
}
