/* Runs a command and reports its wall time and peak resident memory, stopping it when it runs too
 * long or grows too large: the benchmark's stopwatch, since GNU time reports wall time only to the
 * hundredth of a second and enforces no limits.
 *
 *   peak [-t SECONDS] [-m MIB] [-o FILE] COMMAND [ARG...]
 *
 * Writes one line to FILE (default: standard error), after the command ends:
 *   WALL_SECONDS PEAK_KIB STATUS
 * STATUS is the exit status, "signal:N", "timeout" (killed after SECONDS) or "memory" (killed when
 * its resident set passed MIB). The command's own standard streams are left as they are.
 * Exit status: the command's, 124 after a timeout, 125 after the memory limit, 126/127 when it could
 * not be started.
 *
 * Build: cc -std=c11 -O2 -o peak bench/peak.c   (Linux: wait4, /proc) */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t ticked;

static void on_alarm(int sig)
{
    (void)sig;
    ticked = 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The child's current resident set in KiB, from /proc; 0 when it cannot be read. */
static long rss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kib = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kib;
}

int main(int argc, char **argv)
{
    double limit_s = 0;
    long limit_mib = 0;
    const char *out_path = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "+t:m:o:")) != -1) {
        if (opt == 't')
            limit_s = atof(optarg);
        else if (opt == 'm')
            limit_mib = atol(optarg);
        else if (opt == 'o')
            out_path = optarg;
        else {
            fputs("usage: peak [-t SECONDS] [-m MIB] [-o FILE] COMMAND [ARG...]\n", stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs("usage: peak [-t SECONDS] [-m MIB] [-o FILE] COMMAND [ARG...]\n", stderr);
        return 2;
    }

    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("peak: fork");
        return 126;
    }
    if (pid == 0) {
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "peak: %s: %s\n", argv[optind], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }

    /* A 20 ms tick interrupts wait4 (no SA_RESTART) to check the limits; the end time is taken as
     * soon as wait4 returns, so the tick does not blur the measurement. */
    if (limit_s > 0 || limit_mib > 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigaction(SIGALRM, &sa, NULL);
        struct itimerval it = {{0, 20000}, {0, 20000}};
        setitimer(ITIMER_REAL, &it, NULL);
    }

    const char *killed = NULL;
    int status = 0;
    struct rusage ru;
    double end;
    for (;;) {
        pid_t r = wait4(pid, &status, 0, &ru);
        end = now();
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            perror("peak: wait4");
            return 126;
        }
        if (!ticked || killed)
            continue;
        ticked = 0;
        if (limit_s > 0 && end - start > limit_s)
            killed = "timeout";
        else if (limit_mib > 0 && rss_kib(pid) > limit_mib * 1024)
            killed = "memory";
        if (killed)
            kill(pid, SIGKILL);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);

    char st[32];
    int rc;
    if (killed) {
        snprintf(st, sizeof st, "%s", killed);
        rc = strcmp(killed, "timeout") == 0 ? 124 : 125;
    } else if (WIFSIGNALED(status)) {
        snprintf(st, sizeof st, "signal:%d", WTERMSIG(status));
        rc = 128 + WTERMSIG(status);
    } else {
        rc = WEXITSTATUS(status);
        snprintf(st, sizeof st, "%d", rc);
    }
    FILE *out = out_path ? fopen(out_path, "a") : stderr;
    if (!out) {
        perror(out_path);
        return 126;
    }
    fprintf(out, "%.6f %ld %s\n", end - start, ru.ru_maxrss, st);
    if (out != stderr)
        fclose(out);
    return rc;
}
