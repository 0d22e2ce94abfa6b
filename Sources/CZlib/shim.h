// The system zlib (apt: zlib1g-dev), for reading .gz files and deflated zip members.
// Through a shim so that the module map names one header of ours, as CReadline does.
#include <zlib.h>
