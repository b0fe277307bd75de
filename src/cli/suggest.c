/* suggest.c: "did you mean ...?" for a mistyped option or command: the Damerau-Levenshtein
 * distance from what was typed to each known name, and the nearest when it is near enough to be
 * a slip of the fingers rather than another word. */
#include "suggest.h"

#include <string.h>

/* Longer strings are not typos of an option or command; the table below stays on the stack. */
#define MAX_LEN 64

size_t cli_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_LEN || m > MAX_LEN)
        return n > m ? n : m;
    /* Lowrance and Wagner's algorithm: d[i + 1][j + 1] is the distance between the first i
     * characters of a and the first j of b; row and column 0 hold a bound larger than any
     * distance, so that a transposition reaching before the start is never the cheapest.
     * last_row[c] is the last row whose character of a is c. */
    size_t d[MAX_LEN + 2][MAX_LEN + 2];
    size_t last_row[256] = {0};
    size_t far = n + m;
    d[0][0] = far;
    for (size_t i = 0; i <= n; i++) {
        d[i + 1][0] = far;
        d[i + 1][1] = i;
    }
    for (size_t j = 0; j <= m; j++) {
        d[0][j + 1] = far;
        d[1][j + 1] = j;
    }
    for (size_t i = 1; i <= n; i++) {
        size_t last_col = 0; /* the last column in this row where a and b matched */
        for (size_t j = 1; j <= m; j++) {
            size_t k = last_row[(unsigned char)b[j - 1]], l = last_col;
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            if (!cost)
                last_col = j;
            size_t best = d[i][j] + cost;                          /* substitution or match */
            if (d[i + 1][j] + 1 < best) best = d[i + 1][j] + 1;    /* insertion */
            if (d[i][j + 1] + 1 < best) best = d[i][j + 1] + 1;    /* deletion */
            size_t swap = d[k][l] + (i - k - 1) + 1 + (j - l - 1); /* transposition */
            d[i + 1][j + 1] = swap < best ? swap : best;
        }
        last_row[(unsigned char)a[i - 1]] = i;
    }
    return d[n + 1][m + 1];
}

const char *cli_nearest(const char *word, const char *const *names, size_t count)
{
    const char *best = NULL;
    size_t best_distance = 0;
    if (strlen(word) < 2)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        size_t limit = strlen(names[i]) <= 4 ? 1 : 2;
        size_t distance = cli_edit_distance(word, names[i]);
        if (distance <= limit && (!best || distance < best_distance)) {
            best = names[i];
            best_distance = distance;
        }
    }
    return best;
}
