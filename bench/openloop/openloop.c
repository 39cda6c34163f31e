/*
 * Open-loop load at a fixed rate (bench/perf.sh), in C so that the generator itself takes a small share of the
 * 2 cores it shares with the service (the JVM generator, OpenLoop.java, needed about a third of a core at 1,000 req/s).
 *
 * Request i is due at start + i / rate whatever happened to the earlier ones; its latency is counted from that due
 * time to the end of its answer, so a stall shows in the percentiles (no coordinated omission). A due request goes out
 * on an idle keep-alive connection; when none is idle it waits in a queue (its clock running) and goes out as soon as
 * one is; when MAX_IN_FLIGHT requests are sent or queued, a due request is not sent and counts as "dropped".
 *
 * usage: openloop HOST PORT PATHS_FILE RATE SECONDS [MAX_IN_FLIGHT] [USER_AGENT] [WARM_SECONDS] [CONNECTIONS]
 * PATHS_FILE: one path (or URL, whose scheme and host are dropped) a line, taken round-robin. The first WARM_SECONDS
 * (default 5) run at the same rate and are not counted. CONNECTIONS (default 64) keep-alive connections, opened up
 * front. Prints the same one line as OpenLoop.java: requests=... rps=... p50_ms=... p99_ms=...
 * Answers: HTTP/1.1 with Content-Length or chunked bodies. A request still unanswered 5 s after the last due time
 * counts as a timeout; an answer that came later than 5 s after its own due time still counts with its latency.
 *
 * build: cc -O2 -o openloop openloop.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536

typedef struct {
    int fd;
    int busy;         /* a request is out */
    long req;         /* its index */
    int64_t due;      /* its due time, ns */
    char buf[BUF];    /* unparsed bytes of the answer */
    size_t len;
    int header_done;
    int status;
    long body_left;   /* Content-Length body bytes still to come; -1: chunked */
    long chunk_left;  /* chunked: bytes of the current chunk (+2 for its CRLF) still to skip; -1: read a size line */
} conn_t;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static const char *host;
static int port, epfd;
static struct sockaddr_in addr;
static long errors;

static int open_conn(conn_t *c) {
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("connect");
        return -1;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
    c->busy = 0;
    c->len = 0;
    return 0;
}

static void reopen(conn_t *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    if (open_conn(c) < 0) {
        exit(2);
    }
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(int64_t *sorted, long n, double p) {
    if (n == 0) {
        return 0;
    }
    long i = (long)((p / 100 * n) + 0.999999) - 1;
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return sorted[i] / 1e6;
}

/* Consumes what buf holds of the answer; returns 1 when the answer is complete (buf keeps any bytes after it). */
static int parse(conn_t *c) {
    for (;;) {
        if (!c->header_done) {
            char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
            if (!end) {
                return 0;
            }
            size_t hlen = end + 4 - c->buf;
            c->status = atoi(c->buf + 9);
            c->body_left = 0;
            c->chunk_left = -2;
            for (char *p = c->buf; p < end; p++) {
                if (strncasecmp(p, "\r\ncontent-length:", 17) == 0) {
                    c->body_left = atol(p + 17);
                } else if (strncasecmp(p, "\r\ntransfer-encoding: chunked", 28) == 0) {
                    c->body_left = -1;
                    c->chunk_left = -1;
                }
            }
            memmove(c->buf, c->buf + hlen, c->len - hlen);
            c->len -= hlen;
            c->header_done = 1;
        }
        if (c->body_left >= 0) {
            if ((long)c->len < c->body_left) {
                c->body_left -= c->len;
                c->len = 0;
                return 0;
            }
            memmove(c->buf, c->buf + c->body_left, c->len - c->body_left);
            c->len -= c->body_left;
            return 1;
        }
        /* chunked */
        for (;;) {
            if (c->chunk_left >= 0) {
                long take = (long)c->len < c->chunk_left ? (long)c->len : c->chunk_left;
                memmove(c->buf, c->buf + take, c->len - take);
                c->len -= take;
                c->chunk_left -= take;
                if (c->chunk_left > 0) {
                    return 0;
                }
                c->chunk_left = -1;
            }
            char *eol = memmem(c->buf, c->len, "\r\n", 2);
            if (!eol) {
                return 0;
            }
            long size = strtol(c->buf, NULL, 16);
            size_t llen = eol + 2 - c->buf;
            if (size == 0) { /* last chunk: its CRLF (no trailers) */
                if (c->len < llen + 2) {
                    return 0;
                }
                memmove(c->buf, c->buf + llen + 2, c->len - llen - 2);
                c->len -= llen + 2;
                return 1;
            }
            memmove(c->buf, c->buf + llen, c->len - llen);
            c->len -= llen;
            c->chunk_left = size + 2;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: openloop HOST PORT PATHS_FILE RATE SECONDS [MAX_IN_FLIGHT] [USER_AGENT] [WARM_SECONDS]"
                        " [CONNECTIONS]\n");
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    double rate = atof(argv[4]), seconds = atof(argv[5]);
    long max_in_flight = argc > 6 ? atol(argv[6]) : 256;
    const char *agent = argc > 7 ? argv[7]
                                 : "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                   "Chrome/126.0.0.0 Safari/537.36";
    double warm = argc > 8 ? atof(argv[8]) : 5;
    int nconn = argc > 9 ? atoi(argv[9]) : 64;

    /* the requests, one a path */
    FILE *f = fopen(argv[3], "r");
    if (!f) {
        perror(argv[3]);
        return 2;
    }
    char **reqs = NULL;
    size_t *req_len = NULL;
    long npaths = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *path = line;
        if (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0) {
            path = strchr(strstr(path, "//") + 2, '/');
            if (!path) continue;
        }
        if (!*path) continue;
        if (npaths == cap) {
            cap = cap ? cap * 2 : 1024;
            reqs = realloc(reqs, cap * sizeof *reqs);
            req_len = realloc(req_len, cap * sizeof *req_len);
        }
        int n = asprintf(&reqs[npaths],
                         "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: %s\r\nAccept: text/html\r\n\r\n", path,
                         host, port, agent);
        req_len[npaths++] = n;
    }
    fclose(f);
    if (npaths == 0) {
        fprintf(stderr, "no paths in %s\n", argv[3]);
        return 2;
    }

    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &addr.sin_addr) != 1) {
        fprintf(stderr, "HOST must be an IPv4 address or localhost\n");
        return 2;
    }
    epfd = epoll_create1(0);
    conn_t *conns = calloc(nconn, sizeof *conns);
    for (int i = 0; i < nconn; i++) {
        if (open_conn(&conns[i]) < 0) return 2;
    }

    long skip = (long)(rate * warm + 0.5), total = skip + (long)(rate * seconds + 0.5);
    int64_t *latency = malloc(total * sizeof *latency); /* -1: no answer */
    for (long i = 0; i < total; i++) latency[i] = -1;
    long *queue = malloc(total * sizeof *queue); /* due requests waiting for a connection (FIFO) */
    long qhead = 0, qtail = 0, next = 0, in_flight = 0, dropped = 0, non200 = 0, answered_all = 0;
    int64_t interval = (int64_t)(1e9 / rate), start = now_ns() + 50000000LL, last_done = 0, max_late = 0;
    int64_t end_by = start + (int64_t)(total - 1) * interval + 5000000000LL; /* the last due time + 5 s */
    struct epoll_event events[256];

    while (next < total || in_flight > 0) {
        int64_t t = now_ns();
        if (t > end_by) break; /* what is still open counts as timed out */
        /* every request that came due: queued (or dropped), then sent on idle connections */
        while (next < total && start + next * interval <= t) {
            if (in_flight >= max_in_flight) {
                dropped += next >= skip;
            } else {
                queue[qtail++] = next;
                in_flight++;
            }
            next++;
        }
        for (int i = 0; i < nconn && qhead < qtail; i++) {
            conn_t *c = &conns[i];
            if (c->busy) continue;
            long r = queue[qhead++];
            c->busy = 1;
            c->req = r;
            c->due = start + r * interval;
            c->header_done = 0;
            if (r >= skip && t - c->due > max_late) max_late = t - c->due;
            const char *msg = reqs[r % npaths];
            size_t len = req_len[r % npaths], sent = 0;
            while (sent < len) { /* a small request on an idle connection: the socket buffer takes it */
                ssize_t w = write(c->fd, msg + sent, len - sent);
                if (w < 0) {
                    if (errno == EINTR) continue;
                    break;
                }
                sent += w;
            }
            if (sent < len) { /* the connection died while idle: count an error, reopen */
                errors += r >= skip;
                c->busy = 0;
                in_flight--;
                reopen(c);
            }
        }
        /* wait for answers, at most until the next due time */
        int64_t wait_ns = next < total ? start + next * interval - now_ns() : 100000000LL;
        if (wait_ns < 0) wait_ns = 0;
        struct timespec ts = {.tv_sec = wait_ns / 1000000000LL, .tv_nsec = wait_ns % 1000000000LL};
        int n = epoll_pwait2(epfd, events, 256, &ts, NULL);
        for (int e = 0; e < n; e++) {
            conn_t *c = events[e].data.ptr;
            ssize_t r = read(c->fd, c->buf + c->len, BUF - c->len);
            if (r <= 0) { /* closed by the server */
                if (c->busy) {
                    errors += c->req >= skip;
                    c->busy = 0;
                    in_flight--;
                }
                reopen(c);
                continue;
            }
            c->len += r;
            if (!c->busy) { /* bytes nobody asked for */
                c->len = 0;
                continue;
            }
            if (parse(c)) {
                int64_t done = now_ns();
                if (c->req >= skip) {
                    latency[c->req] = done - c->due;
                    non200 += c->status != 200;
                    if (done > last_done) last_done = done;
                }
                answered_all++;
                c->busy = 0;
                in_flight--;
                c->len = 0;
            } else if (c->len == BUF) {
                c->len = 0; /* a header larger than the buffer: not expected here */
            }
        }
    }

    long timeouts = 0, ok = 0;
    int64_t *sorted = malloc((total - skip + 1) * sizeof *sorted);
    for (long i = skip; i < total; i++) {
        if (latency[i] >= 0) {
            sorted[ok++] = latency[i];
        }
    }
    timeouts = in_flight; /* sent or queued, never answered */
    qsort(sorted, ok, sizeof *sorted, cmp64);
    int64_t measured_start = start + skip * interval, last_due = start + (total - 1) * interval;
    double span = ((last_done > last_due ? last_done : last_due) - measured_start) / 1e9;
    printf("requests=%ld answered=%ld duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f"
           " max_ms=%.2f non200=%ld errors=%ld timeouts=%ld dropped=%ld max_send_lag_ms=%.1f\n",
           total - skip, ok, span, span > 0 ? ok / span : 0, pct(sorted, ok, 50), pct(sorted, ok, 90),
           pct(sorted, ok, 99), pct(sorted, ok, 99.9), ok ? sorted[ok - 1] / 1e6 : 0, non200, errors, timeouts,
           dropped, max_late / 1e6);
    return 0;
}
