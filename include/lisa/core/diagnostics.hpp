// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace lisa {

/// A 1-based position in an input file.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

/// One problem found in user input.
struct Diagnostic {
    SourceLocation location;
    std::string message;

    /// "file:line:col: message"
    [[nodiscard]] std::string to_string() const;
};

/// Every problem found while loading, in the order found; printing is the caller's job.
class Diagnostics {
public:
    void error(SourceLocation location, std::string message) {
        items_.push_back({std::move(location), std::move(message)});
    }
    [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
    [[nodiscard]] const std::vector<Diagnostic>& items() const noexcept { return items_; }
    void append(const Diagnostics& other) {
        items_.insert(items_.end(), other.items_.begin(), other.items_.end());
    }
    /// Sorts by file, line, column so output is stable.
    void sort();

private:
    std::vector<Diagnostic> items_;
};

}  // namespace lisa
