/* chitfund/version.h - library version. */
#ifndef CHITFUND_VERSION_H
#define CHITFUND_VERSION_H

#define CF_VERSION_MAJOR  0
#define CF_VERSION_MINOR  1
#define CF_VERSION_PATCH  0
#define CF_VERSION_STRING "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif
/** The version string of the linked library ("0.1.0"). */
const char *cf_version(void);
#ifdef __cplusplus
}
#endif
#endif
