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

// The record scan of cq_csv_scan_records. The masks are made for a batch of blocks (1 KiB
// of text from where the batch begins), and again when the scan passes them. Between two
// fields the scan keeps the separator bits of its block not yet passed, so that the next
// unquoted field's end is one count of trailing zeros away; a quoted field is read through
// the quote bits, and the separator bits are taken again after it.

#define SCAN_BLOCKS 16

void cq_csv_index_held(const uint8_t *text, ptrdiff_t held, size_t blocks, uint8_t delimiter,
                       uint64_t *quotes, uint64_t *separators) {
    size_t whole = held <= 0 ? 0 : (size_t)(held / 64) < blocks ? (size_t)(held / 64) : blocks;
    if (whole > 0) cq_csv_index(text, whole, delimiter, quotes, separators);
    size_t slot = whole;
    if (slot < blocks) {
        ptrdiff_t rest = held - 64 * (ptrdiff_t)whole;
        if (rest > 0) {
            // The last block, not whole: copied and padded, since the bytes past the text
            // are not to be read.
            uint8_t tail[64] = {0};
            for (ptrdiff_t i = 0; i < rest; i++) tail[i] = text[64 * (ptrdiff_t)whole + i];
            cq_csv_index(tail, 1, delimiter, quotes + slot, separators + slot);
            slot++;
        }
        for (; slot < blocks; slot++) {
            quotes[slot] = 0;
            separators[slot] = 0;
        }
    }
}

/// Indexes the scan's batch of blocks from `at` (< count).
__attribute__((noinline))
static void scan_index(const uint8_t *base, ptrdiff_t at, ptrdiff_t count, uint8_t delimiter,
                       uint64_t *quotes, uint64_t *separators) {
    cq_csv_index_held(base + at, count - at, SCAN_BLOCKS, delimiter, quotes, separators);
}

size_t cq_csv_scan_records(const uint8_t *base, ptrdiff_t position, ptrdiff_t count, ptrdiff_t to, uint8_t delimiter,
                           size_t width, size_t max_records, cq_csv_field *fields, ptrdiff_t *starts, ptrdiff_t *end) {
    uint64_t quotes[SCAN_BLOCKS], separators[SCAN_BLOCKS];
    // The batch begins at `first`; the scan is in its block `block`, whose separator bits at
    // or after the scan's place are `bits`.
    ptrdiff_t first = position;
    size_t block = 0;
    uint64_t bits = 0;
    size_t records = 0;
    if (position >= count) goto done;
    scan_index(base, first, count, delimiter, quotes, separators);
    bits = separators[0];

    // Moves the scan to `at` (< count): its block's separator bits from `at` on.
#define SCAN_MOVE(at)                                                                             \
    do {                                                                                          \
        ptrdiff_t relative_ = (at) - first;                                                       \
        if (relative_ < 0 || relative_ >= 64 * SCAN_BLOCKS) {                                     \
            first = (at);                                                                         \
            relative_ = 0;                                                                        \
            scan_index(base, first, count, delimiter, quotes, separators);                        \
        }                                                                                         \
        block = (size_t)(relative_ >> 6);                                                         \
        bits = separators[block] & (~(uint64_t)0 << (relative_ & 63));                             \
    } while (0)

    while (records < max_records && position < to) {
        cq_csv_field *field = fields + records * width;
        size_t k = 0;
        ptrdiff_t p = position;
        for (;;) {
            if (p >= count) goto done;
            if (base[p] == '"') {
                // A quoted field: the next quote not doubled closes it.
                ptrdiff_t start = p + 1;
                bool escaped = false;
                p = start;
                ptrdiff_t qfirst = first;
                for (;;) {
                    if (p >= count) goto done;
                    ptrdiff_t relative = p - qfirst;
                    if (relative < 0 || relative >= 64 * SCAN_BLOCKS) {
                        first = qfirst = p;
                        relative = 0;
                        scan_index(base, first, count, delimiter, quotes, separators);
                    }
                    size_t b = (size_t)(relative >> 6);
                    uint64_t mask = quotes[b] & (~(uint64_t)0 << (relative & 63));
                    while (mask == 0) {
                        b++;
                        if (b == SCAN_BLOCKS) break;
                        if (qfirst + 64 * (ptrdiff_t)b >= count) goto done;
                        mask = quotes[b];
                    }
                    if (mask == 0) {
                        p = qfirst + 64 * SCAN_BLOCKS;  // past the batch: made again there
                        continue;
                    }
                    p = qfirst + 64 * (ptrdiff_t)b + __builtin_ctzll(mask);
                    if (p >= count) goto done;  // left open here: the caller reads on
                    if (p + 1 < count && base[p + 1] == '"') {
                        escaped = true;
                        p += 2;
                        continue;
                    }
                    break;
                }
                if (k == width) goto done;
                field[k++] = (cq_csv_field){start, p - start, true, escaped};
                p++;
                if (p >= count) goto done;
                uint8_t c = base[p];
                if (c != delimiter && c != '\n' && c != '\r') goto done;
                SCAN_MOVE(p);
                bits &= bits - 1;  // the separator at p
            } else {
                // An unquoted field ends at the next separator bit.
                ptrdiff_t start = p;
                while (bits == 0) {
                    block++;
                    if (block == SCAN_BLOCKS) {
                        ptrdiff_t next = first + 64 * SCAN_BLOCKS;
                        if (next >= count) goto done;
                        first = next;
                        block = 0;
                        scan_index(base, first, count, delimiter, quotes, separators);
                    } else if (first + 64 * (ptrdiff_t)block >= count) {
                        goto done;
                    }
                    bits = separators[block];
                }
                p = first + 64 * (ptrdiff_t)block + __builtin_ctzll(bits);
                if (p >= count) goto done;
                bits &= bits - 1;
                if (k == width) goto done;
                field[k++] = (cq_csv_field){start, p - start, false, false};
            }
            uint8_t c = base[p];
            p++;
            if (c == delimiter) continue;
            if (c == '\r' && p < count && base[p] == '\n') {
                SCAN_MOVE(p);
                bits &= bits - 1;  // the '\n' at p
                p++;
            }
            break;
        }
        if (k != width || p >= count) goto done;
        starts[records] = position;
        records++;
        position = p;
    }
#undef SCAN_MOVE
done:
    *end = position;
    return records;
}

void cq_read_ahead(const uint8_t *text, size_t count) {
    volatile uint8_t sink = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < count; i += 64) sum += text[i];
    sink = sum;
    (void)sink;
}
