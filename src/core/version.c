/* version.c - the library's version (see gandyn/version.h). */
#include "gandyn/version.h"

const char *gdn_version(void) { return GDN_VERSION_STRING; }
