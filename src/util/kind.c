/* kind.c: the look-up of a kind's value by its name, and the list of its names for a message,
 * over any table that gives a name for each value. */
#include "util/kind.h"

#include <string.h>

int dfx_kind_parse(const char *text, const char *(*name)(int), int from, int to)
{
    if (!text)
        return -1;
    for (int v = from; v < to; v++) {
        const char *n = name(v);
        if (n && strcmp(text, n) == 0)
            return v;
    }
    return -1;
}

void dfx_kind_list(char *buf, size_t size, const char *(*name)(int), int from, int to)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (int v = from; v < to && used < size; v++) {
        const char *sep = v == from ? "" : v + 1 == to ? " or " : ", ";
        int n = snprintf(buf + used, size - used, "%s%s", sep, name(v));
        if (n < 0)
            return;
        used += (size_t)n;
    }
}
