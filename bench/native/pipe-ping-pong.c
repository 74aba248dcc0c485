/* bench:ipc's native reference: two processes passing a 4-byte message back and forth over two pipes,
 * the closest plain-Linux analogue of a register-only Call/ReplyRecv round trip. Prints the seconds the
 * round trips took. Usage: pipe-ping-pong ROUND_TRIPS */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
    long trips = argc > 1 ? atol(argv[1]) : 100000;
    int to_server[2], to_client[2];
    if (pipe(to_server) || pipe(to_client)) return 1;
    pid_t child = fork();
    if (child < 0) return 1;
    unsigned value = 0;
    if (child == 0) {
        for (long i = 0; i < trips; i++) {
            if (read(to_server[0], &value, 4) != 4) return 1;
            value += 1;
            if (write(to_client[1], &value, 4) != 4) return 1;
        }
        return 0;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < trips; i++) {
        if (write(to_server[1], &value, 4) != 4) return 1;
        if (read(to_client[0], &value, 4) != 4) return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    waitpid(child, NULL, 0);
    if (value != (unsigned)trips) return 1;
    printf("%.6f\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
