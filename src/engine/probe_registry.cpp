// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>

#include "lisa/engine/probe.hpp"

namespace lisa {

void ProbeRegistry::add(std::unique_ptr<Probe> probe) {
    if (find(probe->spec().kind) != nullptr) {
        throw std::logic_error("probe kind registered twice: " + probe->spec().kind);
    }
    probes_.push_back(std::move(probe));
}

Probe* ProbeRegistry::find(std::string_view kind) const {
    for (const auto& probe : probes_) {
        if (probe->spec().kind == kind) {
            return probe.get();
        }
    }
    return nullptr;
}

const Value* find_value(const Facts& facts, std::string_view name) {
    const auto it = facts.find(name);
    return it == facts.end() ? nullptr : &it->second.value;
}

std::string string_fact(const Facts& facts, std::string_view name, std::string fallback) {
    if (const Value* v = find_value(facts, name)) {
        if (const auto* s = v->as_string()) {
            return *s;
        }
    }
    return fallback;
}

}  // namespace lisa
