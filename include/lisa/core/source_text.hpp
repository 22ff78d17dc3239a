// SPDX-License-Identifier: Apache-2.0
#pragma once

// Input text as the loaders receive it, and the cap on its size, shared by every YAML loader
// (rules, inventory, waivers) and the YAML reader beneath them.

#include <cstddef>
#include <string>

namespace lisa {

/// A file's text and the name diagnostics use for it. The caller reads files, the loader parses.
struct SourceText {
    std::string origin;   ///< path as shown in diagnostics
    std::string content;
};

/// Largest rule or inventory file we accept (bytes).
inline constexpr std::size_t kMaxInputFileBytes = 4 * 1024 * 1024;

}  // namespace lisa
