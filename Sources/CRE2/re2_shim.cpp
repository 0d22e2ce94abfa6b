// The C face of RE2 for Swift (include/CRE2.h). Options: UTF-8, Perl syntax as DuckDB and
// BigQuery read it, leftmost-first matching, no logging (errors come back as values).
#include "CRE2.h"
#include <re2/re2.h>
#include <new>
#include <string>
#include <vector>

struct cq_re2 {
    re2::RE2 re;
    cq_re2(re2::StringPiece pattern, const re2::RE2::Options &options) : re(pattern, options) {}
};

static re2::RE2::Options options(int64_t max_memory) {
    re2::RE2::Options o;
    o.set_encoding(re2::RE2::Options::EncodingUTF8);
    o.set_log_errors(false);
    o.set_max_mem(max_memory);
    return o;
}

extern "C" {

cq_re2 *cq_re2_compile(const char *pattern, size_t length, int64_t max_memory) {
    return new (std::nothrow) cq_re2(re2::StringPiece(pattern, length), options(max_memory));
}

void cq_re2_free(cq_re2 *re) { delete re; }

int cq_re2_error_code(const cq_re2 *re) { return re->re.error_code(); }

const char *cq_re2_error(const cq_re2 *re) { return re->re.error().c_str(); }

const char *cq_re2_error_argument(const cq_re2 *re, size_t *length) {
    *length = re->re.error_arg().size();
    return re->re.error_arg().data();
}

int cq_re2_group_count(const cq_re2 *re) { return re->re.NumberOfCapturingGroups(); }

int cq_re2_program_size(const cq_re2 *re) { return re->re.ProgramSize(); }

bool cq_re2_matches(const cq_re2 *re, const char *text, size_t length) {
    if (text == nullptr) text = "";
    return re->re.Match(re2::StringPiece(text, length), 0, length, re2::RE2::UNANCHORED, nullptr, 0);
}

bool cq_re2_match(const cq_re2 *re, const char *text, size_t length, int64_t *spans, int count) {
    if (text == nullptr) text = "";  // a group matched empty must not read as one that took no part
    std::vector<re2::StringPiece> found(count > 0 ? count : 1);
    if (!re->re.Match(re2::StringPiece(text, length), 0, length, re2::RE2::UNANCHORED, found.data(), count)) return false;
    for (int i = 0; i < count; i++) {
        if (found[i].data() == nullptr) { spans[2 * i] = -1; spans[2 * i + 1] = -1; continue; }
        spans[2 * i] = found[i].data() - text;
        spans[2 * i + 1] = spans[2 * i] + (int64_t)found[i].size();
    }
    return true;
}

}
