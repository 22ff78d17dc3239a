// SPDX-License-Identifier: Apache-2.0
#include "lisa/rules/fact_catalog.hpp"

#include <algorithm>

#include "lisa/core/probe_spec.hpp"

namespace lisa {
namespace {

// The kinds whose facts a subject of `kind` sees: itself and every possible ancestor.
const std::vector<SubjectKind>& lineage(SubjectKind kind) {
    using K = SubjectKind;
    static const std::vector<K> organization = {K::Organization};
    static const std::vector<K> system = {K::System, K::Organization};
    static const std::vector<K> endpoint = {K::Endpoint, K::System, K::Organization};
    static const std::vector<K> directory = {K::Directory, K::Organization};
    static const std::vector<K> group = {K::AccessGroup, K::System, K::Directory, K::Organization};
    static const std::vector<K> eservice = {K::EService, K::System, K::Organization};
    static const std::vector<K> document = {K::Document, K::System, K::Organization};
    switch (kind) {
        case K::Organization: return organization;
        case K::System: return system;
        case K::Endpoint: return endpoint;
        case K::Directory: return directory;
        case K::AccessGroup: return group;
        case K::EService: return eservice;
        case K::Document: return document;
    }
    return organization;
}

}  // namespace

void FactCatalog::add(const FactSpec& spec, const std::string& provider,
                      const std::vector<SubjectKind>& carriers) {
    FactInfo info{spec.name, spec.type, provider, carriers, spec.meaning};
    facts_[spec.name] = std::move(info);
}

void FactCatalog::add_probe(const ProbeSpec& spec) {
    for (const auto& fact : spec.facts) {
        add(fact, spec.kind, spec.subjects);
    }
}

std::optional<FactInfo> FactCatalog::lookup(std::string_view name) const {
    if (auto it = facts_.find(name); it != facts_.end()) {
        return it->second;
    }
    // Families: the longest "prefix.*" that covers the name.
    for (std::size_t dot = name.rfind('.'); dot != std::string_view::npos && dot > 0;
         dot = name.rfind('.', dot - 1)) {
        std::string family(name.substr(0, dot));
        family += ".*";
        if (auto it = facts_.find(family); it != facts_.end()) {
            FactInfo info = it->second;
            info.name = std::string(name);
            return info;
        }
        if (dot == 0) {
            break;
        }
    }
    return std::nullopt;
}

bool FactCatalog::visible_to(SubjectKind kind, const std::vector<SubjectKind>& carriers) {
    const auto& seen = lineage(kind);
    return std::any_of(carriers.begin(), carriers.end(), [&](SubjectKind c) {
        return std::find(seen.begin(), seen.end(), c) != seen.end();
    });
}

std::vector<FactInfo> FactCatalog::all() const {
    std::vector<FactInfo> out;
    out.reserve(facts_.size());
    for (const auto& [name, info] : facts_) {
        out.push_back(info);
    }
    return out;
}

std::vector<std::string> FactCatalog::names() const {
    std::vector<std::string> out;
    out.reserve(facts_.size());
    for (const auto& entry : facts_) {
        out.push_back(entry.first);
    }
    return out;
}

int FactCatalog::intern(std::string_view name) {
    if (auto it = ids_.find(name); it != ids_.end()) {
        return it->second;
    }
    const int id = static_cast<int>(interned_.size());
    interned_.emplace_back(name);
    ids_.emplace(std::string(name), id);
    return id;
}

int FactCatalog::id_of(std::string_view name) const {
    const auto it = ids_.find(name);
    return it == ids_.end() ? -1 : it->second;
}

}  // namespace lisa
