// SPDX-License-Identifier: Apache-2.0
// LISA_ASAN: defined in an AddressSanitizer build (GCC's __SANITIZE_ADDRESS__, Clang's
// __has_feature). Such a build cannot limit its address space (RLIMIT_AS): the shadow memory
// needs terabytes of it.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define LISA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LISA_ASAN 1
#endif
#endif
