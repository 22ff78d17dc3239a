// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/subject.hpp"
#include "lisa/core/value.hpp"

namespace lisa {

struct ProbeSpec;
struct FactSpec;

/// What is known about a fact name: its type, who provides it, which subjects carry it.
struct FactInfo {
    std::string name;
    ValueType type = ValueType::String;
    std::string provider;               ///< "inventory" or a probe kind
    std::vector<SubjectKind> carriers;  ///< subject kinds that carry it
    std::string meaning;
};

/**
 * Every fact a probe or the inventory provides, and an interning table that maps fact names to
 * small integers so evaluation never compares strings. Names ending in ".*" are families:
 * "document.front_matter.*" accepts "document.front_matter.beslutat".
 */
class FactCatalog {
public:
    void add(const FactSpec& spec, const std::string& provider,
             const std::vector<SubjectKind>& carriers);
    void add_probe(const ProbeSpec& spec);

    /// The info for a name, matching families; nullopt when nobody provides it.
    [[nodiscard]] std::optional<FactInfo> lookup(std::string_view name) const;
    /// True when a subject of `kind` can see a fact carried by `carriers` (itself or an ancestor).
    [[nodiscard]] static bool visible_to(SubjectKind kind, const std::vector<SubjectKind>& carriers);
    /// Every spec in name order.
    [[nodiscard]] std::vector<FactInfo> all() const;
    /// Names of every known fact (for did-you-mean).
    [[nodiscard]] std::vector<std::string> names() const;

    /// Interns a name; the same name always gets the same id.
    int intern(std::string_view name);
    /// The id of an interned name, or -1.
    [[nodiscard]] int id_of(std::string_view name) const;
    [[nodiscard]] std::size_t interned_count() const noexcept { return interned_.size(); }
    [[nodiscard]] const std::string& name_of(int id) const { return interned_[static_cast<std::size_t>(id)]; }

private:
    std::map<std::string, FactInfo, std::less<>> facts_;
    std::map<std::string, int, std::less<>> ids_;
    std::vector<std::string> interned_;
};

}  // namespace lisa
