/* test_number.c: exact decimal parsing and C-locale formatting of numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

static double parse(const char *text)
{
    double x = -12345;
    if (defidx_number_parse(text, strlen(text), &x))
        fail_msg("'%s' did not parse", text);
    return x;
}

/* The parsed double is the one the compiler makes of the same literal (correctly rounded). */
static void parses_exactly(void **state)
{
    (void)state;
    assert_true(parse("784.2") == 784.2);
    assert_true(parse("784.20") == 784.2);
    assert_true(parse("0.05") == 0.05);
    assert_true(parse("0.1") == 0.1);
    assert_true(parse("1e3") == 1000);
    assert_true(parse("1E-2") == 0.01);
    assert_true(parse("+7") == 7);
    assert_true(parse("-12.5") == -12.5);
    assert_true(parse(".5") == 0.5);
    assert_true(parse("5.") == 5);
    assert_true(parse("000123.4500") == 123.45);
    assert_true(parse("35.3446426391602") == 35.3446426391602);
    assert_true(parse("196.9499969482422") == 196.9499969482422);
    assert_true(parse("3010000000") == 3010000000.0);
    /* more digits than the fast path takes: strtod in the C locale */
    assert_true(parse("12345678901234567890.5") == 12345678901234567890.5);
    assert_true(parse("0.30000000000000004441") == 0.30000000000000004441);
    double z = parse("-0");
    assert_true(z == 0 && signbit(z));
}

/* Only the number itself: no blanks, no second dot, no words, nothing empty. */
static void rejects(void **state)
{
    (void)state;
    const char *bad[] = {"", " 1", "1 ", "1.2.3", "abc", "-", "+", ".", "e3", "1e", "1e+",
                         "1,5", "0x10", "nan", "inf", "--1", "1-"};
    double x;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (defidx_number_parse(bad[i], strlen(bad[i]), &x) != DEFIDX_EDATA)
            fail_msg("'%s' was accepted", bad[i]);
    /* the length bounds the text: "12" of "123" */
    assert_int_equal(defidx_number_parse("123", 2, &x), 0);
    assert_true(x == 12);
}

static void formats(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(defidx_number_fixed(784.2, 2, buf, sizeof buf), 6);
    assert_string_equal(buf, "784.20");
    defidx_number_fixed(-0.001, 2, buf, sizeof buf);
    assert_string_equal(buf, "0.00"); /* no "-0.00" */
    defidx_number_fixed(-0.0, 2, buf, sizeof buf);
    assert_string_equal(buf, "0.00");
    defidx_number_fixed(-0.5, 0, buf, sizeof buf);
    assert_string_equal(buf, "0"); /* rounds to even: "-0" would read as a loss */
    defidx_number_fixed(-1.25, 1, buf, sizeof buf);
    assert_string_equal(buf, "-1.2");
    assert_int_equal(defidx_number_fixed(NAN, 2, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    defidx_number_fixed(INFINITY, 2, buf, sizeof buf);
    assert_string_equal(buf, "");
    defidx_number_format(784.2, 10, buf, sizeof buf);
    assert_string_equal(buf, "784.2");
    defidx_number_format(0.1 + 0.2, 17, buf, sizeof buf);
    assert_string_equal(buf, "0.30000000000000004");
    defidx_number_format(-0.0, 10, buf, sizeof buf);
    assert_string_equal(buf, "0");
    assert_int_equal(defidx_number_format(NAN, 10, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    defidx_number_format(-INFINITY, 10, buf, sizeof buf);
    assert_string_equal(buf, "");
    defidx_number_format(1e21, 10, buf, sizeof buf);
    assert_string_equal(buf, "1e+21");
    /* truncation returns what fits */
    char small[4];
    assert_int_equal(defidx_number_fixed(784.2, 2, small, sizeof small), 3);
    assert_string_equal(small, "784");
}

/* Round trip: formatting with 17 digits and parsing gives the same double back. */
static void round_trip(void **state)
{
    (void)state;
    const double xs[] = {784.2, 0.05, 1.0 / 3, 229.9, 1e-7, 123456789.125, 5e-324};
    char buf[64];
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        defidx_number_format(xs[i], 17, buf, sizeof buf);
        assert_true(parse(buf) == xs[i]);
    }
}

/* dfx_number_exact: what a file wrote with up to 15 digits comes back as written; float noise
 * takes the 16 or 17 digits that tell it apart. Expected texts are Python's repr of the same
 * doubles (the shortest text that reads back), which has no 15-digit floor but agrees on these. */
static void exact(void **state)
{
    (void)state;
    char buf[64];
    float noisy = 98.91f; /* a float32 download: 98.910003662109375 exactly */
    assert_int_equal(dfx_number_exact(noisy, buf, sizeof buf), 17);
    assert_string_equal(buf, "98.91000366210938");
    dfx_number_exact(98.910004, buf, sizeof buf);
    assert_string_equal(buf, "98.910004"); /* %.10g would show both as 98.910004 and 98.91000366 */
    dfx_number_exact(0.1 + 0.2, buf, sizeof buf);
    assert_string_equal(buf, "0.30000000000000004");
    dfx_number_exact(785, buf, sizeof buf);
    assert_string_equal(buf, "785");
    assert_int_equal(dfx_number_exact(NAN, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_exactly),
        cmocka_unit_test(rejects),
        cmocka_unit_test(formats),
        cmocka_unit_test(round_trip),
        cmocka_unit_test(exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
