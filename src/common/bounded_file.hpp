// SPDX-License-Identifier: Apache-2.0
// Internal: the one way lisa reads a file it was named (inventory, rules, evidence documents,
// password_file, ca_file, --sign and --public-key keys, reports read back). The file is opened
// first and judged on the opened descriptor, so nothing can swap it between the check and the
// read, and nothing but a regular file is ever read: a FIFO, socket, device or directory is
// refused at once instead of being waited on or read forever (issue 11, kind D).
#pragma once

#include <cstddef>
#include <string>

#include "lisa/core/result.hpp"

namespace lisa::io {

/// Largest CA bundle (ca_file) read: Debian's whole system bundle is about 200 KiB.
inline constexpr std::size_t kMaxCaFileBytes = 8 * 1024 * 1024;

/// Why a file could not be read (Error::message says it in words, with the path).
enum class FileProblem {
    None,
    NotFound,     ///< no such file (ENOENT, or a path component missing)
    NotRegular,   ///< a FIFO, socket, character or block device, or directory
    TooLarge,     ///< larger than the caller's cap
    Unreadable,   ///< any other open or read failure (permission, I/O error)
};

/**
 * Reads the whole regular file at `path`, at most `max_bytes` bytes.
 *
 * Mechanism: open(O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) — a FIFO opens without waiting
 * for a writer and no terminal becomes ours —, fstat() on that descriptor (must be S_ISREG,
 * st_size <= max_bytes), then read() of at most max_bytes + 1 bytes, so a file that grows while
 * it is read is refused too. Memory is bounded by `max_bytes`; time by the size of a regular file.
 *
 * Errors (one line, naming `path`): "PATH: no such file", "PATH is not a regular file but a FIFO
 * (named pipe)", "PATH is N bytes, over the limit of M", "cannot read PATH: <strerror>".
 * `problem`, when given, receives the kind.
 */
Result<std::string> read_regular_file(const std::string& path, std::size_t max_bytes,
                                      FileProblem* problem = nullptr);

}  // namespace lisa::io
