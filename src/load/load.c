/* load.c: handing a price file, read whole (util/file.c), to the CSV or JSON loader, which is
 * chosen by the file's content rather than its name (downloads are often misnamed). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void defidx_load_options_init(defidx_load_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->version = DEFIDX_OPTIONS_VERSION;
    opt->price_field = DEFIDX_FIELD_CLOSE;
}

/* Price text that is not UTF-8, converted in place (see dfx_text_to_utf8). */
static int ensure_utf8(const char *name, char **data, size_t *len, defidx_warnings *w, defidx_error *err)
{
    char *converted;
    size_t n;
    int rc = dfx_text_to_utf8(name, *data, *len, &converted, &n, w, err);
    if (rc || !converted)
        return rc;
    free(*data);
    *data = converted;
    *len = n;
    return 0;
}

int defidx_load_prices(defidx_panel *p, const char *path, const defidx_load_options *opt,
                       defidx_warnings *w, defidx_error *err)
{
    /* JSON is read whole into cJSON's tree, hence its lower limit; a date-sorted CSV of any size
     * is read in one pass before this (src/fast/stream.c), not here. */
    const dfx_size_limit limits[] = {
        dfx_json_prices_limit,
        {DEFIDX_CSV_MAX, NULL, "the CSV file, read whole,",
         "sort it by date, and read it from a file, not a pipe: such a file is read in one pass whatever its size", 1}};
    char *data;
    size_t len;
    if (opt && dfx_options_version(opt->version, "load options", err))
        return DEFIDX_EUSAGE;
    int rc = dfx_read_file_limited(path, limits, &data, &len, err);
    if (rc)
        return rc;
    const char *name = strcmp(path, "-") == 0 ? DEFIDX_STDIN_NAME : path;
    rc = dfx_check_file_kind(name, data, len, DEFIDX_FILE_PRICES, err);
    /* A NUL byte has its own message in the loaders: a binary file or UTF-16 is not Windows-1252
     * either, and a warning that it was read as such would only mislead. */
    if (!rc && !memchr(data, '\0', len))
        rc = ensure_utf8(name, &data, &len, w, err);
    size_t before = dfx_panel_observation_count(p);
    if (rc)
        ; /* reported */
    else if (dfx_looks_json(data, len))
        rc = defidx_load_json(p, name, data, len, opt, w, err);
    else
        rc = defidx_load_csv(p, name, data, len, opt, w, err);
    free(data);
    /* A header without rows, or [] / {}, holds no data: an empty input, not bad data. */
    if (!rc && dfx_panel_observation_count(p) == before)
        rc = defidx_error_set(err, DEFIDX_EINPUT, name, 0, 0, "the file has no rows of prices");
    return dfx_warnings_check(w, rc, err);
}


