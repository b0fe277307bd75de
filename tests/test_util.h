/* test_util.h: what the cmocka tests share. Debian 12's cmocka 1.1.5 compares floats as float
 * (7 digits), too coarse for index arithmetic, so doubles are compared here. */
#ifndef DEFIDX_TEST_UTIL_H
#define DEFIDX_TEST_UTIL_H

#include <math.h>

/* Fails unless |a - b| <= eps (NAN never passes; compare NAN with assert_true(isnan(x))). */
#define assert_double_near(a, b, eps)                                                               \
    do {                                                                                            \
        double a_ = (a), b_ = (b), e_ = (eps);                                                      \
        if (!(fabs(a_ - b_) <= e_))                                                                 \
            fail_msg("%s = %.17g, expected %s = %.17g (within %g)", #a, a_, #b, b_, e_);            \
    } while (0)

#endif
