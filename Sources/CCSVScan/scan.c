// The structural index of CCSVScan.h. Each implementation compares 16 or 32 bytes at once
// with the quote, the delimiter, '\n' and '\r', and gathers the comparisons' top bits into
// masks (movemask); the plain loop is the reference the tests hold the others to.

#include "CCSVScan.h"

void cq_csv_index_portable(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators) {
    for (size_t i = 0; i < blocks; i++) {
        uint64_t q = 0, s = 0;
        const uint8_t *block = text + 64 * i;
        for (int j = 0; j < 64; j++) {
            uint8_t c = block[j];
            q |= (uint64_t)(c == '"') << j;
            s |= (uint64_t)(c == delimiter || c == '\n' || c == '\r') << j;
        }
        quotes[i] = q;
        separators[i] = s;
    }
}

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

static void index_sse2(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators) {
    const __m128i quote = _mm_set1_epi8('"'), newline = _mm_set1_epi8('\n'), carriage = _mm_set1_epi8('\r');
    const __m128i delim = _mm_set1_epi8((char)delimiter);
    for (size_t i = 0; i < blocks; i++) {
        uint64_t q = 0, s = 0;
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(text + 64 * i + 16 * k));
            __m128i sep = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, delim), _mm_cmpeq_epi8(v, newline)),
                                       _mm_cmpeq_epi8(v, carriage));
            q |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << (16 * k);
            s |= (uint64_t)(uint16_t)_mm_movemask_epi8(sep) << (16 * k);
        }
        quotes[i] = q;
        separators[i] = s;
    }
}

__attribute__((target("avx2")))
static void index_avx2(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators) {
    const __m256i quote = _mm256_set1_epi8('"'), newline = _mm256_set1_epi8('\n'), carriage = _mm256_set1_epi8('\r');
    const __m256i delim = _mm256_set1_epi8((char)delimiter);
    for (size_t i = 0; i < blocks; i++) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(text + 64 * i));
        __m256i hi = _mm256_loadu_si256((const __m256i *)(text + 64 * i + 32));
        __m256i sepLo = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(lo, delim), _mm256_cmpeq_epi8(lo, newline)),
                                        _mm256_cmpeq_epi8(lo, carriage));
        __m256i sepHi = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(hi, delim), _mm256_cmpeq_epi8(hi, newline)),
                                        _mm256_cmpeq_epi8(hi, carriage));
        quotes[i] = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, quote))
            | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, quote)) << 32;
        separators[i] = (uint64_t)(uint32_t)_mm256_movemask_epi8(sepLo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(sepHi) << 32;
    }
}

/// -1 until the processor is asked; the threads that may ask at once all write the same.
static int level = -1;

int cq_csv_index_level(void) {
    int known = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 2 : 1;
        __atomic_store_n(&level, known, __ATOMIC_RELAXED);
    }
    return known;
}

void cq_csv_index(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators) {
    if (cq_csv_index_level() == 2) {
        index_avx2(text, blocks, delimiter, quotes, separators);
    } else {
        index_sse2(text, blocks, delimiter, quotes, separators);
    }
}

#else

int cq_csv_index_level(void) { return 0; }

void cq_csv_index(const uint8_t *text, size_t blocks, uint8_t delimiter, uint64_t *quotes, uint64_t *separators) {
    cq_csv_index_portable(text, blocks, delimiter, quotes, separators);
}

#endif
