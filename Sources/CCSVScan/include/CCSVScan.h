// The CSV loader's structural index (Sources/ConflictQLData/Loading/StructuralScanner.swift):
// for each 64-byte block of text, a bit per byte that is a quote, and a bit per byte that
// ends a field (the delimiter, '\n' or '\r'). AVX2 or SSE2, chosen when first called by
// what the processor has; plain C elsewhere.

#ifndef CCSVSCAN_H
#define CCSVSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Fills quotes[i] and separators[i] for the 64-byte blocks text[64 i ..< 64 i + 64],
/// i < blocks. Bit j of a mask is byte 64 i + j.
void cq_csv_index(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators);

/// The masks of `blocks` blocks from `text`, of which only `held` bytes are text (none when
/// `held` <= 0): a last block not whole is read as if padded with bytes that are neither
/// quotes nor separators, and blocks past the text have no bits.
void cq_csv_index_held(const uint8_t *text, ptrdiff_t held, size_t blocks, uint8_t delimiter,
                       uint64_t *quotes, uint64_t *separators);

/// Which implementation cq_csv_index uses: 2 for AVX2, 1 for SSE2, 0 for plain C.
int cq_csv_index_level(void);

/// For tests: the same masks by the plain C loop, whatever the processor has.
void cq_csv_index_portable(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators);

/// A field of a record: the loader's FieldSpan, whose layout the loader checks is this one.
typedef struct {
    ptrdiff_t start;
    ptrdiff_t length;
    bool quoted;
    bool needs_unescape;
} cq_csv_field;

/// Scans whole records of exactly `width` fields from `position` on, as the loader's
/// StructuralScanner reads them, while a record starts before `to` and at most
/// `max_records`: record r's fields go to fields[r * width ...], its start to starts[r].
/// `base + offset` is the byte at the text's `offset`; bytes are held up to `count`.
/// Stops before a record it does not take whole, for the caller to read one at a time: a
/// record whose end is not before `count`, with another number of fields (a blank line),
/// a quote left open, or bytes after a closing quote. Returns the records taken; `*end`
/// is where the next record starts. The delimiter is none of '"', '\n' and '\r'.
size_t cq_csv_scan_records(const uint8_t *base, ptrdiff_t position, ptrdiff_t count, ptrdiff_t to, uint8_t delimiter,
                           size_t width, size_t max_records, cq_csv_field *fields, ptrdiff_t *starts, ptrdiff_t *end);

/// Reads a byte of each cache line of `count` bytes at `text`, in order: a loop that then
/// visits values scattered over them finds them in the caches. (Prefetch hints alone were
/// slower: the JSON build's columns 0.77 s against 0.72, five runs alternating.)
void cq_read_ahead(const uint8_t *text, size_t count);

#endif
