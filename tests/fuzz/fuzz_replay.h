/* fuzz_replay.h — the harnesses' main() without libFuzzer: each file named
 * on the command line, read whole, goes through LLVMFuzzerTestOneInput, so
 * that an ordinary build replays a corpus or a crash file. */
#ifndef FUZZ_REPLAY_H
#define FUZZ_REPLAY_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0 when every file was read and replayed; 1 at the first unreadable one. */
int fuzz_replay(int argc, char **argv);

#endif
