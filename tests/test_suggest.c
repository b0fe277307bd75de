/* test_suggest.c: the "did you mean" of the command line (src/cli/suggest.c): the
 * Damerau-Levenshtein distance on pairs worked out by hand, and which names are near enough. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "suggest.h"

#include <string.h>

/* Each distance by hand: the edits that turn one into the other, none fewer possible. */
static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(cli_edit_distance("weighting", "weighting"), 0);
    assert_int_equal(cli_edit_distance("weigthing", "weighting"), 1); /* th <-> ht */
    assert_int_equal(cli_edit_distance("weighing", "weighting"), 1);  /* insert t */
    assert_int_equal(cli_edit_distance("compte", "compute"), 1);      /* insert u */
    assert_int_equal(cli_edit_distance("", "abc"), 3);                /* three insertions */
    assert_int_equal(cli_edit_distance("abc", ""), 3);
    assert_int_equal(cli_edit_distance("kitten", "sitting"), 3);      /* k->s, e->i, insert g */
    assert_int_equal(cli_edit_distance("fz", "fx"), 1);
    assert_int_equal(cli_edit_distance("ab", "fx"), 2);
    /* ca -> ac (transposition) -> abc (insert b): 2. The restricted form (optimal string
     * alignment), which may not edit between the two swapped letters, needs 3. */
    assert_int_equal(cli_edit_distance("ca", "abc"), 2);
    assert_int_equal(cli_edit_distance("abc", "ca"), 2);
}

/* Past 64 bytes the distance is only "far": the longer length. */
static void test_long_words(void **state)
{
    (void)state;
    char a[80], b[70];
    memset(a, 'a', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memset(b, 'a', sizeof b - 1);
    b[sizeof b - 1] = '\0';
    assert_int_equal(cli_edit_distance(a, b), 79);
    assert_int_equal(cli_edit_distance(b, "a"), 69);
}

static const char *const options[] = {"index", "fx", "from", "as-of", "weighting", "color", "columns"};
enum { OPTION_COUNT = sizeof options / sizeof options[0] };

/* Up to 2 edits for a longer name, 1 for a name of 4 characters or fewer; the nearest wins, the
 * first of two as near; nothing for a word shorter than 2. */
static void test_nearest(void **state)
{
    (void)state;
    assert_string_equal(cli_nearest("weigthing", options, OPTION_COUNT), "weighting");
    assert_string_equal(cli_nearest("wieghtign", options, OPTION_COUNT), "weighting"); /* 2 */
    assert_null(cli_nearest("wiegthign", options, OPTION_COUNT));                    /* 3 */
    assert_string_equal(cli_nearest("fz", options, OPTION_COUNT), "fx");
    assert_null(cli_nearest("ab", options, OPTION_COUNT)); /* 2 from fx, a short name */
    assert_string_equal(cli_nearest("form", options, OPTION_COUNT), "from"); /* or <-> ro */
    assert_null(cli_nearest("fmro", options, OPTION_COUNT)); /* two swaps from from: too far */
    assert_string_equal(cli_nearest("colr", options, OPTION_COUNT), "color"); /* 1; columns 3 */
    assert_string_equal(cli_nearest("colum", options, OPTION_COUNT), "color"); /* both 2: first */
    assert_null(cli_nearest("x", options, OPTION_COUNT));
    assert_null(cli_nearest("frobnicate", options, OPTION_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_long_words),
        cmocka_unit_test(test_nearest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
