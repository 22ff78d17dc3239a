// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "lisa/core/value.hpp"

namespace lisa {

/// Where a fact came from. Ordered by strength: probed > document > attested > declared.
/// `Attested`: stated by a person about one exact evidence file (a sidecar pinned to its
/// SHA-256) — stronger than the inventory, but it does not satisfy `require: document`.
enum class Provenance { Declared, Attested, Document, Probed };

[[nodiscard]] std::string_view to_string(Provenance provenance) noexcept;
[[nodiscard]] std::optional<Provenance> provenance_from_string(std::string_view text) noexcept;

/// A typed value with its provenance and, for probed and document facts, how it was obtained.
struct Fact {
    Value value;
    Provenance provenance = Provenance::Declared;
    std::string source;  ///< e.g. "tls 127.0.0.1:8443", "evidence/policy.md", inventory path

    friend bool operator==(const Fact& a, const Fact& b) {
        return a.value == b.value && a.provenance == b.provenance && a.source == b.source;
    }
};

/// Facts by name ("tls.protocol.tls1_0"), sorted so every output is deterministic.
using Facts = std::map<std::string, Fact, std::less<>>;

/// The value of fact `name`, or null when `facts` has none (probes reading declared facts).
[[nodiscard]] const Value* find_value(const Facts& facts, std::string_view name);
/// The string value of fact `name`, or `fallback` when it is absent or not a string.
[[nodiscard]] std::string string_fact(const Facts& facts, std::string_view name,
                                      std::string fallback = {});

/// Convenience for probes: a probed fact.
[[nodiscard]] inline Fact probed(Value value, std::string source) {
    return Fact{std::move(value), Provenance::Probed, std::move(source)};
}

}  // namespace lisa
