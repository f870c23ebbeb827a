/* fuzz_frame.c: the request framing reader (server/lib/frame.h) on
 * arbitrary bytes, read whole and in pieces whose sizes the input's first
 * byte chooses.
 *
 * Guards: the verdict (and the fault's message) is the same however the
 * bytes are split into reads; the offset of the requests before a fault is
 * within what was read, and the same whole or split; once refused, every
 * later read is refused; a message is one of ours (a sentence). */
#include "fuzz.h"
#include "lib/frame.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct verdict {
    bool ok;
    size_t good;
    const char *error;
};

static struct verdict feed(const uint8_t *p, size_t n, size_t step)
{
    struct frame f;
    frame_init(&f);
    for (size_t at = 0; at < n;) {
        size_t k = step && n - at > step ? step : n - at;
        size_t good = (size_t)-1;
        if (!frame_feed(&f, p + at, k, &good)) {
            FUZZ_CHECK(good <= k, "good %zu past the %zu bytes read", good, k);
            size_t again = 7;
            FUZZ_CHECK(!frame_feed(&f, p, n, &again), "a read after a fault was taken");
            return (struct verdict){false, good ? at + good : (size_t)-1, f.error};
        }
        at += k;
    }
    return (struct verdict){true, n, NULL};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = (size_t)(data[0] % 13) + 1;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    struct verdict whole = feed(p, n, 0), split = feed(p, n, step), one = feed(p, n, 1);
    FUZZ_CHECK(whole.ok == split.ok && whole.ok == one.ok, "verdicts differ (%d %d %d)", whole.ok,
               split.ok, one.ok);
    if (!whole.ok) {
        FUZZ_CHECK(whole.error && split.error && strcmp(whole.error, split.error) == 0 &&
                       strcmp(whole.error, one.error) == 0,
                   "faults differ: %s / %s", whole.error, split.error);
        size_t len = strlen(whole.error);
        FUZZ_CHECK(len > 10 && whole.error[len - 1] == '.', "not a sentence: %s", whole.error);
        /* read whole, the requests before the fault end where they do when
         * read in pieces that reach past them */
        if (whole.good != (size_t)-1 && split.good != (size_t)-1)
            FUZZ_CHECK(whole.good == split.good, "good %zu whole, %zu split", whole.good,
                       split.good);
    }
    return 0;
}
