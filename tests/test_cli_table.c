/* test_cli_table.c: the command line's tables (src/cli/cli.h) against what is written from them and
 * about them. The man page (docs/defidx.1) documents exactly the table's options, each with its
 * value placeholder, under its section, and exactly its commands; the help lists them; the
 * completion scripts offer each command the options the table gives it; the values of an option
 * are the names the library parses; and a few command lines parse as worked out by hand. This
 * replaces the test that compared the help with the completion scripts: both are written from
 * the tables now, so the test compares the tables with what is written by hand, the man page. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "args.h"
#include "cli.h"
#include "completion.h"
#include "help.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------------------------ */

/* A file or a memory stream's text, NUL-terminated. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (size_t n; (n = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (len + 1 == cap)
            text = realloc(text, cap *= 2);
        assert_non_null(text);
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

/* What write writes, as a string. */
static char *written(void (*write)(FILE *, int), int arg)
{
    /* on the heap: GCC takes a pointer returned from a stack variable whose address escaped for
     * one into the stack */
    struct memory {
        char *text;
        size_t len;
    } *m = calloc(1, sizeof *m);
    assert_non_null(m);
    FILE *out = open_memstream(&m->text, &m->len);
    assert_non_null(out);
    write(out, arg);
    assert_int_equal(fclose(out), 0);
    char *text = m->text;
    free(m);
    return text;
}

static void write_help(FILE *out, int topic)
{
    cli_help_write(out, (cli_command_id)topic);
}

static const char *const shells[] = {"bash", "zsh", "fish"};

static void write_completion(FILE *out, int shell)
{
    assert_int_equal(cli_completion(shells[shell], out), 0);
}

/* 1 when the len bytes at text hold needle. */
static int holds(const char *text, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(text + i, needle, n) == 0)
            return 1;
    return 0;
}

/* The number of commands in a set of CLI_ON bits. */
static int command_count(unsigned set)
{
    int n = 0;
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        n += (set & CLI_ON(id)) != 0;
    return n;
}

/* The number of lines of text. */
static int line_count(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

/* 1 when text holds the line line. */
static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

/* ---- the man page ---------------------------------------------------------------------------------- */

/* One tag of the man page: ".BI \-\-index " FILE"" is --index with FILE, in the section it is in
 * (".SS Computing options", ".SS compute"); its text is what follows it up to the next tag. */
typedef struct man_entry {
    char name[40];
    char placeholder[40];
    char section[40];
    const char *text;
    size_t text_len;
} man_entry;

/* The text of a request's arguments as the reader sees it: ".BI \-\-width " N" "\fR, " \-\-height
 * " N"" is "--width N, --height N" (quotes group, fonts change nothing, \- is -). */
static void man_plain(const char *line, size_t len, char *out, size_t size)
{
    const char *end = line + len;
    const char *p = line + strcspn(line, " "); /* after the request (.BI) */
    size_t n = 0;
    int quoted = 0;
    for (; p < end && *p != '\n' && n + 1 < size; p++) {
        if (*p == '"') {
            quoted = !quoted;
        } else if (*p == ' ' && !quoted) {
            continue;
        } else if (*p == '\\' && p + 1 < end && p[1] == 'f') {
            p += 2; /* \fB, \fI, \fR, \fP */
        } else if (*p == '\\' && p + 1 < end && p[1] == '-') {
            out[n++] = '-';
            p++;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* The line after start that begins a new item or section, or the end of text. */
static const char *next_item(const char *start)
{
    for (const char *p = start; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (p != start && (strncmp(p, ".TP", 3) == 0 || strncmp(p, ".SS", 3) == 0 || strncmp(p, ".SH", 3) == 0 ||
                           strncmp(p, ".PP", 3) == 0))
            return p;
    return start + strlen(start);
}

/* The section of the man page titled title: from the line after ".SH TITLE" to the next .SH. */
static const char *man_section(const char *man, const char *title, const char **end)
{
    char head[64];
    snprintf(head, sizeof head, "\n.SH %s\n", title);
    const char *start = strstr(man, head);
    assert_non_null(start);
    start += strlen(head);
    *end = strstr(start, "\n.SH ");
    if (!*end)
        *end = start + strlen(start);
    return start;
}

/* Every option tag of the OPTIONS section, split at ", " into one entry per name. */
static size_t man_options(const char *man, man_entry *entries, size_t cap)
{
    const char *end;
    const char *p = man_section(man, "OPTIONS", &end);
    char section[40] = "";
    size_t n = 0;
    for (; p < end; p = strchr(p, '\n') + 1) {
        size_t len = strcspn(p, "\n");
        if (strncmp(p, ".SS ", 4) == 0)
            snprintf(section, sizeof section, "%.*s", (int)len - 4, p + 4);
        if (strncmp(p, ".TP\n", 4) != 0)
            continue;
        const char *tag = p + 4;
        char plain[160];
        man_plain(tag, strcspn(tag, "\n"), plain, sizeof plain);
        const char *text = strchr(tag, '\n') + 1;
        for (char *item = strtok(plain, ","); item; item = strtok(NULL, ",")) {
            assert_true(n < cap);
            man_entry *e = &entries[n++];
            item += strspn(item, " ");
            size_t name_len = strcspn(item, " ");
            snprintf(e->name, sizeof e->name, "%.*s", (int)name_len, item);
            snprintf(e->placeholder, sizeof e->placeholder, "%s", item[name_len] ? item + name_len + 1 : "");
            snprintf(e->section, sizeof e->section, "%s", section);
            e->text = text;
            e->text_len = (size_t)(next_item(text) - text);
        }
    }
    return n;
}

/* The man page's section of an option's entries: its heading's .SS title, or for an option of
 * its own, the name of a command it applies to. */
static int in_its_section(const cli_option *o, const char *section)
{
    const char *man = cli_sections[o->section].man;
    if (man)
        return strcmp(section, man) == 0;
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (cli_option_applies(o, (cli_command_id)id) && strcmp(section, cli_commands[id].name) == 0)
            return 1;
    return 0;
}

/* Every option of the table is in the man page with its placeholder, under its section (an
 * option of its own under each command it applies to); every option the man page documents is in
 * the table, with the same placeholder. */
static void test_man_options(void **state)
{
    (void)state;
    char *man = read_text(TEST_MAN_PAGE);
    man_entry entries[128];
    size_t n = man_options(man, entries, 128);
    assert_true(n >= cli_option_count);
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        const char *names[2] = {o->short_name, o->long_name};
        for (int k = 0; k < 2; k++) {
            if (!names[k])
                continue;
            int found = 0, placed = 0, command_sections = 0;
            for (size_t e = 0; e < n; e++) {
                if (strcmp(entries[e].name, names[k]) != 0)
                    continue;
                found++;
                if (strcmp(entries[e].placeholder, o->placeholder ? o->placeholder : "") != 0)
                    fail_msg("docs/defidx.1 writes %s %s, the table %s", names[k], entries[e].placeholder,
                             o->placeholder ? o->placeholder : "(no value)");
                placed |= in_its_section(o, entries[e].section);
                command_sections += in_its_section(o, entries[e].section);
            }
            if (!found || !placed)
                fail_msg("docs/defidx.1 does not document %s under %s", names[k],
                         cli_sections[o->section].man ? cli_sections[o->section].man : "its command");
            if (!cli_sections[o->section].man && command_sections != command_count(cli_option_commands(o)))
                fail_msg("docs/defidx.1 does not document %s under each command it applies to", names[k]);
        }
    }
    for (size_t e = 0; e < n; e++) {
        int known = 0;
        for (size_t i = 0; i < cli_option_count; i++) {
            const cli_option *o = &cli_options[i];
            known |= (o->long_name && strcmp(o->long_name, entries[e].name) == 0) ||
                     (o->short_name && strcmp(o->short_name, entries[e].name) == 0);
        }
        if (!known)
            fail_msg("docs/defidx.1 documents %s, which the option table does not have", entries[e].name);
    }
    free(man);
}

/* The values of an option of words are in its man page text, in bold: "\fBffmcap\fR". */
static void test_man_values(void **state)
{
    (void)state;
    char *man = read_text(TEST_MAN_PAGE);
    man_entry entries[128];
    size_t n = man_options(man, entries, 128);
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        if (o->kind != CLI_VALUE_WORDS)
            continue;
        for (const char *w = o->values; *w; w += strspn(w, " ")) {
            char bold[40];
            size_t len = strcspn(w, " ");
            snprintf(bold, sizeof bold, "\\fB%.*s\\fR", (int)len, w);
            int found = 0;
            for (size_t e = 0; e < n; e++)
                if (strcmp(entries[e].name, cli_option_name(o)) == 0 &&
                    holds(entries[e].text, entries[e].text_len, bold))
                    found = 1;
            if (!found)
                fail_msg("docs/defidx.1 does not name %s's value %.*s", cli_option_name(o), (int)len, w);
            w += len;
        }
    }
    free(man);
}

/* The man page's commands, in COMMANDS and in SYNOPSIS, are the table's: each once, no other. */
static void test_man_commands(void **state)
{
    (void)state;
    char *man = read_text(TEST_MAN_PAGE);
    const char *end;
    int in_commands[CLI_COMMAND_COUNT] = {0}, in_synopsis[CLI_COMMAND_COUNT] = {0};
    for (const char *p = man_section(man, "COMMANDS", &end); p < end; p = strchr(p, '\n') + 1) {
        if (strncmp(p, ".TP\n", 4) != 0)
            continue;
        char plain[80];
        man_plain(p + 4, strcspn(p + 4, "\n"), plain, sizeof plain);
        plain[strcspn(plain, " [")] = '\0'; /* "completion SHELL", "help [COMMAND]" */
        const cli_command *cmd = cli_command_find(plain);
        if (!cmd)
            fail_msg("docs/defidx.1 has a command %s that the table does not", plain);
        in_commands[cmd - cli_commands]++;
    }
    for (const char *p = man_section(man, "SYNOPSIS", &end); p < end; p = strchr(p, '\n') + 1) {
        if (strncmp(p, ".B defidx ", 10) != 0)
            continue;
        char name[40];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(p + 10, " \n"), p + 10);
        const cli_command *cmd = cli_command_find(name);
        if (!cmd)
            fail_msg("docs/defidx.1's synopsis has a command %s that the table does not", name);
        in_synopsis[cmd - cli_commands]++;
    }
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (in_commands[id] != 1 || in_synopsis[id] != 1)
            fail_msg("docs/defidx.1 has %s %d times in COMMANDS and %d in SYNOPSIS, not once each",
                     cli_commands[id].name, in_commands[id], in_synopsis[id]);
    free(man);
}

/* ---- the table itself ---------------------------------------------------------------------------- */

/* Each row is whole: a name, a help and brief text, a placeholder exactly when it takes a value,
 * an apply function, commands it applies to (a strict one: not all), no name twice; each command
 * a summary, usage, help paragraph and examples (lines ending in \n) and a write function. */
static void test_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        assert_true(o->long_name || o->short_name);
        assert_true(!o->long_name || (strncmp(o->long_name, "--", 2) == 0 && strlen(o->long_name) > 3));
        assert_true(!o->short_name || (o->short_name[0] == '-' && strlen(o->short_name) == 2));
        assert_non_null(o->help);
        assert_non_null(o->brief);
        assert_non_null(o->apply);
        assert_int_equal(o->placeholder != NULL, o->kind != CLI_VALUE_NONE);
        assert_true(o->kind != CLI_VALUE_WORDS || o->values);
        unsigned set = cli_option_commands(o);
        assert_true(set != 0);
        if (o->flags & CLI_OPT_STRICT)
            assert_true(set != CLI_ALL_COMMANDS);
        for (size_t j = 0; j < i; j++) {
            const cli_option *p = &cli_options[j];
            assert_false(o->long_name && p->long_name && strcmp(o->long_name, p->long_name) == 0);
            assert_false(o->short_name && p->short_name && strcmp(o->short_name, p->short_name) == 0);
        }
    }
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) {
        const cli_command *cmd = &cli_commands[id];
        assert_non_null(cmd->name);
        assert_non_null(cmd->summary);
        assert_non_null(cmd->write);
        assert_non_null(cmd->usage);
        assert_true(cmd->about && cmd->about[0] && cmd->about[strlen(cmd->about) - 1] == '\n');
        assert_true(cmd->examples && strncmp(cmd->examples, "  ", 2) == 0 &&
                    cmd->examples[strlen(cmd->examples) - 1] == '\n');
        assert_ptr_equal(cli_command_find(cmd->name), cmd);
        assert_true(!(cmd->flags & CLI_CMD_COMPUTES) || (cmd->flags & CLI_CMD_READS_PRICES));
    }
    assert_null(cli_command_find("Compute"));
    assert_null(cli_command_find(""));
}

/* The option with the long name name. */
static const cli_option *option(const char *name)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].long_name && strcmp(cli_options[i].long_name, name) == 0)
            return &cli_options[i];
    fail_msg("no option %s", name);
    return NULL;
}

/* The values completion offers are the ones the apply functions take: the library's names where it
 * has them (each parses, and its name is the word), else the word's position is the enum's value. */
static void test_values(void **state)
{
    (void)state;
    const char *w;
    for (w = option("--weighting")->values; *w; w += strspn(w, " ")) {
        char word[16];
        size_t len = strcspn(w, " ");
        snprintf(word, sizeof word, "%.*s", (int)len, w);
        assert_string_equal(defidx_weighting_name(defidx_weighting_parse(word)), word);
        w += len;
    }
    for (w = option("--return")->values; *w; w += strspn(w, " ")) {
        char word[16];
        size_t len = strcspn(w, " ");
        snprintf(word, sizeof word, "%.*s", (int)len, w);
        assert_string_equal(defidx_return_name(defidx_return_parse(word)), word);
        w += len;
    }
    const cli_option *format = NULL;
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].short_name && strcmp(cli_options[i].short_name, "-O") == 0)
            format = &cli_options[i];
    assert_non_null(format);
    for (int f = DEFIDX_FORMAT_TABLE; f <= DEFIDX_FORMAT_HTML; f++)
        assert_int_equal(cli_option_word(format, defidx_format_name(f)), f);
    assert_int_equal(cli_option_word(option("--rebalance"), "none"), DEFIDX_REBALANCE_NONE);
    assert_int_equal(cli_option_word(option("--rebalance"), "monthly"), DEFIDX_REBALANCE_MONTHLY);
    assert_int_equal(cli_option_word(option("--rebalance"), "quarterly"), DEFIDX_REBALANCE_QUARTERLY);
    assert_int_equal(cli_option_word(option("--price-field"), "close"), DEFIDX_FIELD_CLOSE);
    assert_int_equal(cli_option_word(option("--price-field"), "adj_close"), DEFIDX_FIELD_ADJ_CLOSE);
    assert_int_equal(cli_option_word(option("--color"), "auto"), CLI_COLOR_AUTO);
    assert_int_equal(cli_option_word(option("--color"), "always"), CLI_COLOR_ALWAYS);
    assert_int_equal(cli_option_word(option("--color"), "never"), CLI_COLOR_NEVER);
    assert_int_equal(cli_option_word(option("--color"), "nev"), -1);
    assert_int_equal(cli_option_word(option("--decimal-mark"), ","), 1);
}

/* Which commands an option applies to, worked out from the documented rules: the computing options
 * to the seven commands that compute, --base-date and the input options to rebase too, -o to the
 * table commands and chart, --max-age to check and report, --help to every command. */
static void test_applies(void **state)
{
    (void)state;
    unsigned computing = CLI_ON(CLI_COMPUTE) | CLI_ON(CLI_SERIES) | CLI_ON(CLI_STATS) | CLI_ON(CLI_DIVISORS) |
                         CLI_ON(CLI_CHECK) | CLI_ON(CLI_CHART) | CLI_ON(CLI_REPORT) | CLI_ON(CLI_FACTSHEET);
    unsigned tables = CLI_ON(CLI_COMPUTE) | CLI_ON(CLI_SERIES) | CLI_ON(CLI_STATS) | CLI_ON(CLI_REBASE) |
                      CLI_ON(CLI_DIVISORS) | CLI_ON(CLI_FORMATS);
    assert_int_equal(cli_option_commands(option("--benchmark")),
                     CLI_ON(CLI_STATS) | CLI_ON(CLI_CHART) | CLI_ON(CLI_REPORT) | CLI_ON(CLI_FACTSHEET));
    assert_int_equal(cli_option_commands(option("--by")), CLI_ON(CLI_COMPUTE));
    assert_int_equal(cli_option_commands(option("--drawdown")), CLI_ON(CLI_CHART) | CLI_ON(CLI_REPORT));
    assert_int_equal(cli_option_commands(option("--rolling")), CLI_ON(CLI_SERIES));
    assert_int_equal(cli_option_commands(option("--index")), computing);
    assert_int_equal(cli_option_commands(option("--max-jump")), computing);
    assert_int_equal(cli_option_commands(option("--base-date")), computing | CLI_ON(CLI_REBASE));
    assert_int_equal(cli_option_commands(option("--ticker")), computing | CLI_ON(CLI_REBASE));
    assert_int_equal(cli_option_commands(option("--color")), tables | CLI_ON(CLI_CHART));
    assert_int_equal(cli_option_commands(option("--spark")), CLI_ON(CLI_COMPUTE));
    assert_int_equal(cli_option_commands(option("--max-age")), CLI_ON(CLI_CHECK) | CLI_ON(CLI_REPORT));
    assert_int_equal(cli_option_commands(option("--help")), (1u << CLI_COMMAND_COUNT) - 1);
    char list[200];
    cli_command_list(list, sizeof list, computing, " and ");
    assert_string_equal(list, "compute, series, stats, divisors, check, chart, report and factsheet");
    cli_command_list(list, sizeof list, CLI_ALL_COMMANDS, " or ");
    assert_string_equal(list, "compute, series, stats, rebase, divisors, check, chart, report, factsheet, formats, init or completion");
    cli_command_list(list, sizeof list, CLI_ON(CLI_CHART), " and ");
    assert_string_equal(list, "chart");
}

/* ---- help -------------------------------------------------------------------------------------- */

/* The general help lists every listed command with its summary and every option of the general
 * sections with its value; each command's help is under 40 lines with one Example(s) heading and
 * lists its own options. An option of words names them all in its help. */
static void test_help(void **state)
{
    (void)state;
    char *general = written(write_help, CLI_HELP);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) {
        char line[160];
        snprintf(line, sizeof line, "  %-10s  %s", cli_commands[id].name, cli_commands[id].summary);
        assert_int_equal(has_line(general, line), !(cli_commands[id].flags & CLI_CMD_UNLISTED));
    }
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        char row[80];
        snprintf(row, sizeof row, "\n  %s%s%s ", cli_option_name(o), o->placeholder ? " " : "",
                 o->placeholder ? o->placeholder : "");
        assert_int_equal(strstr(general, row) != NULL, cli_sections[o->section].heading != NULL);
        for (const char *w = o->kind == CLI_VALUE_WORDS ? o->values : ""; *w; w += strspn(w, " ")) {
            size_t len = strcspn(w, " ");
            char word[16];
            snprintf(word, sizeof word, "%.*s", (int)len, w);
            if (!strstr(o->help, word))
                fail_msg("the help of %s does not name %s", cli_option_name(o), word);
            w += len;
        }
    }
    free(general);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) {
        char *help = written(write_help, id == CLI_HELP ? CLI_COMPUTE : id);
        assert_true(line_count(help) < 40);
        char *heading = strstr(help, "\nExample");
        assert_non_null(heading);
        assert_null(strstr(heading + 1, "\nExample"));
        for (size_t i = 0; i < cli_option_count; i++) {
            const cli_option *o = &cli_options[i];
            if (cli_sections[o->section].heading || !cli_option_applies(o, (cli_command_id)id))
                continue;
            char row[80];
            snprintf(row, sizeof row, "\n  %s", cli_option_name(o));
            assert_non_null(strstr(help, row));
        }
        free(help);
    }
}

/* The help of chart, as it should read: its usage, its own options from the table, then the
 * general options that apply (not -O, --no-header or --color, which chart does not take). */
static void test_help_chart(void **state)
{
    (void)state;
    char *help = written(write_help, CLI_CHART);
    assert_true(strncmp(help, "Usage: defidx chart [OPTIONS] PRICES...\n\n", 41) == 0);
    assert_non_null(strstr(help, "\nOptions of its own:\n  --benchmark FILE    the prices of one instrument"));
    assert_non_null(strstr(help, "\n  --from DATE         the first date shown"));
    assert_non_null(strstr(help, "\n  --drawdown          a panel under the chart"));
    assert_non_null(strstr(help, "\n  --width N           the width in pixels"));
    assert_non_null(strstr(help, "\nAlso, from defidx --help: --index, "));
    assert_non_null(strstr(help, "--date-format, -O, -o,\n--color, -q, -v.\n")); /* -O term */
    assert_null(strstr(help, "--no-header"));
    assert_null(strstr(help, "--spark"));
    free(help);
}

/* ---- completions -------------------------------------------------------------------------------- */

/* The words of the line of text that starts with prefix, up to the quote that ends them. */
static void line_words(const char *text, const char *prefix, char *out, size_t size)
{
    const char *p = strstr(text, prefix);
    assert_non_null(p);
    p += strlen(prefix);
    snprintf(out, size, " %.*s ", (int)strcspn(p, "'"), p);
}

/* bash offers each command exactly the options that apply to it; fish gives each option the
 * commands it applies to; zsh's block of each command has a spec for each of its options. */
static void test_completion_scripts(void **state)
{
    (void)state;
    char *bash = written(write_completion, 0), *zsh = written(write_completion, 1),
         *fish = written(write_completion, 2);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) {
        char prefix[64], words[1024];
        snprintf(prefix, sizeof prefix, "\n            %s) opts='", cli_commands[id].name);
        line_words(bash, prefix, words, sizeof words);
        snprintf(prefix, sizeof prefix, "\n    (%s)\n", cli_commands[id].name);
        const char *block = strstr(zsh, prefix);
        assert_non_null(block);
        const char *block_end = strstr(block, ") ;;\n");
        size_t offered = 0;
        for (size_t i = 0; i < cli_option_count; i++) {
            const cli_option *o = &cli_options[i];
            char word[48];
            snprintf(word, sizeof word, " %s ", cli_option_name(o));
            int applies = cli_option_applies(o, (cli_command_id)id);
            if ((strstr(words, word) != NULL) != applies)
                fail_msg("bash: %s %s %s", cli_commands[id].name, applies ? "lacks" : "offers", word);
            snprintf(word, sizeof word, "'%s%s[", (o->flags & CLI_OPT_REPEATABLE) ? "*" : "", cli_option_name(o));
            const char *spec = strstr(block, word);
            if (!spec) {
                snprintf(word, sizeof word, "'%s%s%s[", (o->flags & CLI_OPT_REPEATABLE) ? "*" : "",
                         cli_option_name(o), o->long_name ? "=" : "+");
                spec = strstr(block, word);
            }
            if ((spec && spec < block_end) != applies)
                fail_msg("zsh: %s %s %s", cli_commands[id].name, applies ? "lacks" : "offers", word);
            offered += applies;
        }
        assert_true(offered > 0);
    }
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        char want[256] = "", line[320];
        for (int id = 0; id < CLI_COMMAND_COUNT; id++)
            if (cli_option_applies(o, (cli_command_id)id))
                snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", want[0] ? " " : "",
                         cli_commands[id].name);
        snprintf(line, sizeof line, "complete -c defidx -n '__defidx_offers %s' %s %s", want,
                 o->long_name ? "-l" : "-s", o->long_name ? o->long_name + 2 : o->short_name + 1);
        if (!strstr(fish, line))
            fail_msg("fish: no line %s", line);
    }
    free(bash);
    free(zsh);
    free(fish);
}

/* ---- parsing ------------------------------------------------------------------------------------ */

/* Parses the words of line (at most 15) into c; returns cli_parse_args' result. */
static int parse(cli *c, const char *line)
{
    static char copy[256];
    static char *argv[16];
    int argc = 0;
    snprintf(copy, sizeof copy, "defidx %s", line);
    for (char *w = strtok(copy, " "); w && argc < 15; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    memset(c, 0, sizeof *c);
    optind = 0; /* GNU getopt starts afresh */
    return cli_parse_args(c, argc, argv);
}

/* Command lines and what they make, worked out from the documented rules. */
static void test_parse(void **state)
{
    (void)state;
    cli c;
    assert_int_equal(parse(&c, "compute --spark -O table a.csv"), 0);
    assert_int_equal(c.command, CLI_COMPUTE);
    assert_int_equal(c.spark, 1);
    assert_int_equal(c.look.format, DEFIDX_FORMAT_TABLE);
    assert_int_equal(c.operand_count, 1);
    assert_string_equal(c.operands[0], "a.csv");
    assert_int_equal(parse(&c, "--weighting=equal series a.csv --since 2024-01-02 --since 2024-06-03"), 0);
    assert_int_equal(c.command, CLI_SERIES);
    assert_int_equal(c.opt.weighting, defidx_weighting_parse("equal"));
    assert_int_equal(c.opt.since_count, 2);
    assert_int_equal(c.given[option("--since") - cli_options], 2);
    assert_int_equal(parse(&c, "help chart"), 0);
    assert_int_equal(c.command, CLI_HELP);
    assert_int_equal(c.help_topic, CLI_CHART);
    assert_int_equal(parse(&c, "--help"), 0);
    assert_int_equal(c.command, CLI_HELP);
    assert_int_equal(c.help_topic, CLI_HELP);
    assert_int_equal(parse(&c, "report --spark --help"), 0); /* help, whatever the line says */
    assert_int_equal(c.help_topic, CLI_REPORT);
    assert_int_equal(parse(&c, "rebase --index i.json --fx fx.csv a.csv"), 0); /* ignored there */
    assert_int_equal(c.command, CLI_REBASE);
    assert_int_equal(parse(&c, "formats -O md"), 0);
    assert_int_equal(c.operand_count, 0);
    /* usage errors, each on stderr with its exit code */
    assert_int_equal(parse(&c, "series --spark a.csv"), 64);
    assert_int_equal(parse(&c, "rebase --max-jump 0.2 a.csv"), 64);
    assert_int_equal(parse(&c, "check -o x.csv a.csv"), 64);
    assert_int_equal(parse(&c, "report a.csv"), 64);
    assert_int_equal(parse(&c, "chart -O csv a.csv"), 64);
    assert_int_equal(parse(&c, "compute"), 64);
    assert_int_equal(parse(&c, "help help"), 64);
    assert_int_equal(parse(&c, "compte a.csv"), 64);
    assert_int_equal(parse(&c, "compute --rebalance yearly a.csv"), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_man_options),
        cmocka_unit_test(test_man_values),
        cmocka_unit_test(test_man_commands),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_applies),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_help_chart),
        cmocka_unit_test(test_completion_scripts),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
