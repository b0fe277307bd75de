/* csv_reader.h: the one CSV record reader of the library's CSV inputs (prices, FX rates, corporate
 * actions). It drives libcsv and gives each field the line and column where it starts. */
#ifndef DEFIDX_CSV_READER_H
#define DEFIDX_CSV_READER_H

#include "internal.h"

/* One field as libcsv delivers it: quotes removed, doubled quotes undoubled, the blanks around an
 * unquoted field trimmed; text is NUL-terminated (len does not count the NUL). line and column
 * (1-based) are where the field starts: its opening quote, or its first character past blanks. */
typedef struct dfx_csv_field {
    char *text;
    size_t len;
    long line, column; /* columns count characters (UTF-8), a byte-order mark is not counted */
} dfx_csv_field;

/* One record: fields[0..count-1], then fields[count], which holds "" and the position where the
 * record ends (before a CR), for messages about a field that is missing. */
typedef struct dfx_csv_record {
    dfx_csv_field *fields;
    size_t count; /* at least 1 */
    long line;    /* the record's first line */
    char delim;   /* the delimiter in use, given or sniffed */
    int unended;  /* the record is the text's last and no line end follows it: a file cut short
                   * ends so (as do files whose last line end was left out) */
} dfx_csv_record;

/* Called once per record. Returns 0 to go on, or a negative DEFIDX_E* code with err filled to stop
 * the read, which then returns that code. The record is the reader's and valid during the call
 * only; the callback may rewrite a field's text in place within its len + 1 bytes (to trim it). */
typedef int (*dfx_csv_record_fn)(dfx_csv_record *rec, void *ctx, defidx_error *err);

/* Reads the CSV text data (len bytes; name is for messages) and calls on_record once per record, in
 * order. delim is ',', ';', '\t' or '|', or 0 to take the most frequent of them outside quotes on
 * the first line that is not blank (',' when there is none; a tie goes to the earlier in that
 * order). A UTF-8 byte-order mark is skipped, then an Excel "sep=X" first line, which gives the
 * delimiter X (unless delim is given) and no record; lines are still counted from it. LF
 * ends a record; space, TAB and CR are blanks, trimmed around unquoted fields, and a line of blanks
 * gives no record. A quoted field may hold delimiters, doubled quotes and line ends.
 * A line may hold DEFIDX_LINE_MAX bytes (its line end not counted), a record that runs over several
 * lines (quoted line ends) as many, and a field DEFIDX_FIELD_MAX bytes: past these limits the read
 * stops with DEFIDX_EDATA and err at the line, the record or the field, so that no text however
 * long makes the reader or libcsv allocate more than about a line.
 * Returns 0; the callback's code when it stopped the read; DEFIDX_EDATA with err at the start of
 * the field for a misplaced quote, a quote never closed or a limit passed; or DEFIDX_ENOMEM. */
int dfx_csv_read(const char *name, const char *data, size_t len, char delim,
                    dfx_csv_record_fn on_record, void *ctx, defidx_error *err);

#endif
