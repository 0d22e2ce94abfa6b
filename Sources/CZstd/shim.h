// The system zstd (apt: libzstd-dev), for Parquet column chunks compressed with ZSTD.
// Through a shim so that the module map names one header of ours, as CZlib does.
#include <zstd.h>
