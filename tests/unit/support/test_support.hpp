// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the unit tests: readable diagnostics, gtest printers, a loaded catalog.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/value.hpp"
#include "lisa/engine/evaluator.hpp"
#include "lisa/engine/probe.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/rules/condition.hpp"

namespace lisa {

// gtest printers, found by ADL, so failures show "pass" rather than "1-byte object <00>".
inline void PrintTo(Truth truth, std::ostream* out) {
    *out << (truth == Truth::True ? "True" : truth == Truth::False ? "False" : "Unknown");
}
inline void PrintTo(Status status, std::ostream* out) { *out << to_string(status); }
inline void PrintTo(const Date& date, std::ostream* out) { *out << date.to_string(); }
inline void PrintTo(const Value& value, std::ostream* out) {
    *out << to_string(value.type()) << " " << value.to_display();
}
inline void PrintTo(const Diagnostic& diag, std::ostream* out) { *out << diag.to_string(); }

}  // namespace lisa

namespace lisa::testing_support {

/// Every diagnostic on its own line, for `<<` after an assertion.
inline std::string diagnostics_as_text(const Diagnostics& diags) {
    std::string out;
    for (const auto& d : diags.items()) {
        out += "\n  " + d.to_string();
    }
    return out.empty() ? std::string("\n  (no diagnostics)") : out;
}

/// The first diagnostic whose message contains `needle`, or nullptr.
inline const Diagnostic* find_diagnostic(const Diagnostics& diags, std::string_view needle) {
    for (const auto& d : diags.items()) {
        if (d.message.find(needle) != std::string::npos) {
            return &d;
        }
    }
    return nullptr;
}

/// Whether some diagnostic matches line, column and message substring.
inline ::testing::AssertionResult has_diagnostic(const Diagnostics& diags, int line, int column,
                                                 std::string_view needle) {
    for (const auto& d : diags.items()) {
        if (d.location.line == line && d.location.column == column &&
            d.message.find(needle) != std::string::npos) {
            return ::testing::AssertionSuccess();
        }
    }
    return ::testing::AssertionFailure()
           << "no diagnostic at " << line << ":" << column << " containing '" << needle
           << "'; got:" << diagnostics_as_text(diags);
}

/// A registry with the built-in probes and the catalog of everything they and the inventory provide.
struct BuiltinCatalog {
    BuiltinCatalog() {
        register_builtin_probes(registry);
        catalog = build_fact_catalog(registry);
    }
    ProbeRegistry registry;
    FactCatalog catalog;
};

inline std::string read_file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

inline Date date(std::string_view text) {
    const auto d = Date::parse(text);
    if (!d) {
        ADD_FAILURE() << "bad date in test: " << text;
        return Date{};
    }
    return *d;
}

}  // namespace lisa::testing_support
