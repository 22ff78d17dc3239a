// SPDX-License-Identifier: Apache-2.0
// CLI-side file I/O: reading inputs with a size cap, finding the rule pack, atomic writes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lisa/rules/loader.hpp"

namespace lisa::cli {

/// Reads a regular file of at most `max_bytes` (io::read_regular_file: a FIFO, socket or device
/// is refused, never waited on); on failure returns nullopt and sets `error`.
std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes,
                                     std::string& error);

/// The rule pack directory shipped with the binary: $LISA_RULES_DIR, then the install location
/// (<prefix>/share/lisa/rules), then the source tree the binary was built from.
std::string default_rules_dir(const char* argv0);

/// The *.yaml files directly in `dir`, sorted by name.
std::vector<std::string> rule_files(const std::string& dir, std::string& error);

/// Writes `content` to `path` atomically (temp file in the same directory, fsync, rename).
bool write_atomic(const std::string& path, const std::string& content, std::string& error);

/// The directory part of a path ("." when none).
std::string dirname_of(const std::string& path);

}  // namespace lisa::cli
