// SPDX-License-Identifier: Apache-2.0
#pragma once

// The shared vocabulary of what can be observed: the facts a probe or the inventory publishes.
// Lives in core so the rule loader (which rejects a rule reading a fact nobody provides), the
// inventory (which publishes declared facts) and the engine (which runs probes) all depend
// downwards on it.

#include <string>
#include <vector>

#include "lisa/core/subject.hpp"
#include "lisa/core/value.hpp"

namespace lisa {

/// One fact a probe (or the inventory) can provide: `lisa probes` prints these, and the rule
/// loader rejects a rule that reads a fact nobody provides.
struct FactSpec {
    std::string name;      ///< "tls.protocol.tls1_0"; a trailing ".*" means a family of names
    ValueType type = ValueType::String;
    std::string meaning;   ///< one line, English
};

/// What a probe is and which facts it publishes.
struct ProbeSpec {
    std::string kind;                 ///< "tls", "http", "ldap", "document"
    std::vector<SubjectKind> subjects;  ///< subject kinds it collects facts for
    std::string description;
    std::vector<FactSpec> facts;
};

}  // namespace lisa
