/* example.c: embedding the defidx engine in another C program. Prints the index's last date and
 * level for the price files given as arguments (default weighting; based at 100 on the first date
 * on which every constituent has a price; constituents in one currency, as no FX rates are given).
 *
 *     cc example.c $(pkg-config --cflags --libs --static defidx) -o example
 *     ./example tests/realdata/mccdvd/RHM.DE.csv tests/realdata/mccdvd/MTX.DE.csv
 */
#include <defidx.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    defidx_error err;
    defidx_warnings warnings = {0};
    defidx_panel *panel = defidx_panel_new();
    defidx_result *result = NULL;
    int rc = panel ? 0 : DEFIDX_ENOMEM;
    for (int i = 1; i < argc && !rc; i++)
        rc = defidx_load_prices(panel, argv[i], NULL, &warnings, &err);
    if (!rc)
        rc = defidx_panel_finish(panel, &warnings, &err);
    if (!rc)
        rc = defidx_compute(panel, NULL, NULL, NULL, &result, &err);
    if (rc) {
        char text[1200];
        defidx_error_format(&err, text, sizeof text);
        fprintf(stderr, "example: %s\n", text);
    } else {
        char day[11], level[64];
        defidx_date_format(result->as_of, day);
        defidx_number_fixed(result->level, 2, level, sizeof level); /* '.' whatever the locale */
        printf("%s %s\n", day, level);
    }
    defidx_result_free(result);
    defidx_warnings_free(&warnings);
    defidx_panel_free(panel);
    return rc ? 1 : 0;
}
