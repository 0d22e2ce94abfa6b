// RE2 (Debian's libre2-dev), seen from Swift through a few C functions: compile a pattern,
// read why it failed, ask whether it matches, and where it and its groups matched. The
// pattern and the text are byte ranges, so a NUL is an ordinary byte in either.
#ifndef CQ_RE2_H
#define CQ_RE2_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cq_re2 cq_re2;

/// Compiles `length` bytes at `pattern` (UTF-8, RE2's syntax) with at most `max_memory`
/// bytes for the compiled program and its matching caches. Never null: ask cq_re2_error_code.
cq_re2 *cq_re2_compile(const char *pattern, size_t length, int64_t max_memory);
void cq_re2_free(cq_re2 *re);

/// 0 when the pattern compiled, else RE2's ErrorCode.
int cq_re2_error_code(const cq_re2 *re);
/// RE2's message (NUL-terminated) and the fragment of the pattern it is about.
const char *cq_re2_error(const cq_re2 *re);
const char *cq_re2_error_argument(const cq_re2 *re, size_t *length);

int cq_re2_group_count(const cq_re2 *re);
/// The compiled program's size in instructions (RE2's ProgramSize).
int cq_re2_program_size(const cq_re2 *re);

/// Whether the pattern matches somewhere in the `length` bytes at `text`.
bool cq_re2_matches(const cq_re2 *re, const char *text, size_t length);
/// The first match: `spans` receives `2 * count` byte offsets (start, end) for the whole
/// match and the groups after it, -1 for a group that took no part. False without a match.
bool cq_re2_match(const cq_re2 *re, const char *text, size_t length, int64_t *spans, int count);

#ifdef __cplusplus
}
#endif

#endif
