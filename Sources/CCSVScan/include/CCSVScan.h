// The CSV loader's structural index (Sources/ConflictQLData/Loading/StructuralScanner.swift):
// for each 64-byte block of text, a bit per byte that is a quote, and a bit per byte that
// ends a field (the delimiter, '\n' or '\r'). AVX2 or SSE2, chosen when first called by
// what the processor has; plain C elsewhere.

#ifndef CCSVSCAN_H
#define CCSVSCAN_H

#include <stddef.h>
#include <stdint.h>

/// Fills quotes[i] and separators[i] for the 64-byte blocks text[64 i ..< 64 i + 64],
/// i < blocks. Bit j of a mask is byte 64 i + j.
void cq_csv_index(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators);

/// Which implementation cq_csv_index uses: 2 for AVX2, 1 for SSE2, 0 for plain C.
int cq_csv_index_level(void);

/// For tests: the same masks by the plain C loop, whatever the processor has.
void cq_csv_index_portable(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators);

#endif
