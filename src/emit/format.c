/* format.c: the output formats (docs/formats.md "Output"), one row each: the name -O gives, the
 * file name extensions that mean it, whether people or programs read it, and the writers of a
 * table and of a compute result. defidx_emit_table and defidx_emit_result write through the row;
 * a new format is one row here and its writers. */
#include "emit/emit.h"
#include "util/kind.h"

/* One row per enum defidx_format. */
static const dfx_output_format formats[DEFIDX_FORMAT_COUNT] = {
    [DEFIDX_FORMAT_TABLE] = {"table", "txt", "", 1, dfx_table_write_aligned, dfx_result_write_people},
    [DEFIDX_FORMAT_TSV] = {"tsv", "tsv", "", 0, dfx_table_write_tsv, dfx_result_write_rows},
    [DEFIDX_FORMAT_CSV] = {"csv", "csv", "", 0, dfx_table_write_csv, dfx_result_write_rows},
    [DEFIDX_FORMAT_JSON] = {"json", "json", "", 0, dfx_table_write_json, dfx_result_write_json},
    [DEFIDX_FORMAT_MD] = {"md", "md", "", 1, dfx_table_write_md, dfx_result_write_people},
    [DEFIDX_FORMAT_HTML] = {"html", "html", "htm", 1, dfx_table_write_html, dfx_result_write_people},
    /* for people: their headings, returns and weights as percentages (the cells keep every digit) */
    [DEFIDX_FORMAT_XLSX] = {"xlsx", "xlsx", "", 1, dfx_table_write_xlsx, dfx_result_write_xlsx},
};

const dfx_output_format *dfx_output_format_of(int fmt)
{
    return fmt >= 0 && fmt < DEFIDX_FORMAT_COUNT ? &formats[fmt] : NULL;
}

/* Maps an -O argument to enum defidx_format; exact, lower-case names only. */
int defidx_format_parse(const char *name)
{
    return dfx_kind_parse(name, defidx_format_name, 0, DEFIDX_FORMAT_COUNT);
}

const char *defidx_format_name(int fmt)
{
    const dfx_output_format *f = dfx_output_format_of(fmt);
    return f ? f->name : NULL;
}

/* The usual file name extension of fmt, for dfx_kind_parse. */
static const char *usual_extension(int fmt)
{
    return formats[fmt].extension;
}

/* The other extension of fmt ("htm"), NULL when it has none. */
static const char *other_extension(int fmt)
{
    return formats[fmt].other_extension[0] ? formats[fmt].other_extension : NULL;
}

/* A format's name means it as an extension too ("report.table" is a table). */
int defidx_format_of_extension(const char *ext)
{
    int fmt = defidx_format_parse(ext);
    if (fmt < 0)
        fmt = dfx_kind_parse(ext, usual_extension, 0, DEFIDX_FORMAT_COUNT);
    if (fmt < 0)
        fmt = dfx_kind_parse(ext, other_extension, 0, DEFIDX_FORMAT_COUNT);
    return fmt;
}

const char *defidx_format_extension(int fmt)
{
    const dfx_output_format *f = dfx_output_format_of(fmt);
    return f ? f->extension : NULL;
}
