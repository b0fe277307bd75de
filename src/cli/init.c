/* init.c: `defidx init [DIR]` writes a starter project for a user to edit: the bundled demo's
 * definition, which names its inputs (docs/formats.md "The definition as a project"), with a few
 * lines of comment and the keys of a nightly report added, and copies of the demo's files beside
 * it, so that `defidx compute --index DIR/index.json` runs at once. It never replaces a file. */
#define _POSIX_C_SOURCE 200809L
#include "init.h"
#include "diag.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The project's files: the definition, written from the demo's with start_lines after its opening
 * brace, and the files it names, copied as they are. */
static const struct project_file {
    const char *name;
    int definition;
} project_files[] = {{"index.json", 1}, {"prices.csv", 0}, {"fx.csv", 0}, {"actions.csv", 0}, {"stoxx600.csv", 0}};
#define PROJECT_FILES (sizeof project_files / sizeof *project_files)

static const char start_lines[] =
    "  \"//\": [\n"
    "    \"A defidx project, written by defidx init from the bundled demo: edit it.\",\n"
    "    \"defidx compute --index index.json   the index and its returns, as of the last date\",\n"
    "    \"defidx stats --index index.json     volatility, drawdowns, Sharpe, against the benchmark\",\n"
    "    \"defidx report --index index.json    the dated bundle in reports/, for cron\",\n"
    "    \"Paths are relative to this folder; an option on the command line wins over its key.\",\n"
    "    \"The keys: man defidx (INPUT FORMATS), docs/formats.md (Index definition).\"\n"
    "  ],\n"
    "  \"benchmark\": \"stoxx600.csv\",\n"
    "  \"actions\": \"actions.csv\",\n"
    "  \"out_dir\": \"reports\",\n"
    "  \"since\": [\"2022-02-23\"],\n"
    "  \"max_gap\": 5,\n";

/* Where the demo's files are: $DEFIDX_DATA_DIR, else where `cmake --install` puts them, else the
 * source tree this binary was built from. NULL when none holds index.json. */
static const char *demo_folder(void)
{
    const char *candidates[] = {getenv("DEFIDX_DATA_DIR"), DEFIDX_DATA_DIR, DEFIDX_SOURCE_DATA_DIR};
    for (size_t k = 0; k < sizeof candidates / sizeof *candidates; k++) {
        char path[4096];
        if (!candidates[k] || !*candidates[k])
            continue;
        snprintf(path, sizeof path, "%s/index.json", candidates[k]);
        if (access(path, R_OK) == 0)
            return candidates[k];
    }
    return NULL;
}

/* Writes head, then body, to path: into a temporary file beside it, linked into place only if
 * path does not exist (link fails on an existing name: never a replaced file, even in a race). */
static int write_new(const char *path, const char *head, size_t head_len, const char *body, size_t body_len,
                     defidx_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot create the file: %s", strerror(errno));
    }
    /* mkstemp's 0600 would keep the project from its readers: the mode a new file gets */
    int bad = fchmod(fd, 0666 & ~cli_umask()) != 0;
    bad |= fwrite(head, 1, head_len, f) != head_len || fwrite(body, 1, body_len, f) != body_len;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    int rc = 0;
    if (bad)
        rc = defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0, "cannot write the file: %s", strerror(errno));
    else if (link(tmp, path) != 0)
        rc = defidx_error_set(err, errno == EEXIST ? DEFIDX_ECREATE : DEFIDX_EWRITE, path, 0, 0,
                              errno == EEXIST ? "exists already (hint: defidx init never replaces a file: "
                                                "another folder, or remove it)"
                                              : "cannot create the file: %s",
                              strerror(errno));
    unlink(tmp);
    return rc;
}

/* 0 when none of the project's files is in dir yet; else the error naming the first one. */
static int none_there(const char *dir, defidx_error *err)
{
    char path[4200];
    for (size_t k = 0; k < PROJECT_FILES; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, project_files[k].name);
        if (access(path, F_OK) == 0)
            return defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0,
                                    "exists already (hint: defidx init never replaces a file: another folder, or remove it)");
    }
    return 0;
}

/* Writes one of the project's files into dir from the demo's. */
static int write_project_file(const char *demo, const char *dir, const struct project_file *f, defidx_error *err)
{
    char from[4200], to[4200];
    size_t len;
    snprintf(from, sizeof from, "%s/%s", demo, f->name);
    snprintf(to, sizeof to, "%s/%s", dir, f->name);
    char *data;
    int rc = defidx_read_file(from, &data, &len, err);
    if (rc)
        return rc;
    if (!f->definition) {
        rc = write_new(to, "", 0, data, len, err);
    } else if (strncmp(data, "{\n", 2) != 0) {
        rc = defidx_error_set(err, DEFIDX_EINTERNAL, from, 0, 0, "the demo's definition does not start with {");
    } else { /* its opening brace, the comment and the report's keys, then the rest of it */
        char *head = malloc(2 + sizeof start_lines);
        if (!head) {
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            memcpy(head, "{\n", 2);
            memcpy(head + 2, start_lines, sizeof start_lines - 1);
            rc = write_new(to, head, 2 + sizeof start_lines - 1, data + 2, len - 2, err);
            free(head);
        }
    }
    free(data);
    return rc;
}

/* Creates dir and the folders above it that are missing, as mkdir -p does. 0, or -1 with errno. */
static int make_folders(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = path + 1; *p; p++) /* each parent, then the folder itself */
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int cli_write_init(cli *c, cli_run *s, defidx_error *err)
{
    (void)s;
    if (c->operand_count > 1)
        return cli_usage_error("init: name one folder, not %d", c->operand_count);
    const char *dir = c->operand_count ? c->operands[0] : ".";
    const char *demo = demo_folder();
    if (!demo)
        return defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0,
                                "the bundled demo's files are not found (hint: set DEFIDX_DATA_DIR to the data/ folder of defidx's sources)");
    if (make_folders(dir) != 0)
        return defidx_error_set(err, DEFIDX_ECREATE, dir, 0, 0, "cannot create the folder: %s", strerror(errno));
    int rc = none_there(dir, err);
    for (size_t k = 0; k < PROJECT_FILES && !rc; k++)
        rc = write_project_file(demo, dir, &project_files[k], err);
    if (!rc && !c->quiet)
        printf("defidx: wrote a project into %s: try  defidx compute --index %s/index.json\n", dir, dir);
    return rc;
}
