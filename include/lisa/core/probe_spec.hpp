// SPDX-License-Identifier: Apache-2.0
#pragma once

// The shared vocabulary of what can be observed: the facts a probe or the inventory publishes.
// Lives in core so the rule loader (which rejects a rule reading a fact nobody provides), the
// inventory (which publishes declared facts) and the engine (which runs probes) all depend
// downwards on it.

#include <optional>
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

/**
 * One call serving several subjects: the probe runs on a `leader` subject and reports, in
 * ProbeOutput::related, the facts of every `member` subject whose typed target belongs to that
 * leader (lisa::owner_of, lisa/inventory/targets.hpp). The ldap probe: access groups are served
 * by the directory they name. The engine plans with this alone — a selected member makes its
 * leader's call run — and knows no probe or subject kind by name.
 */
struct ProbeGrouping {
    SubjectKind member = SubjectKind::AccessGroup;
    SubjectKind leader = SubjectKind::Directory;
};

/**
 * What a probe is: its inputs (the subject kinds whose typed target it reads — an endpoint's
 * EndpointTarget, a directory's DirectoryTarget, …; never declared facts), its outputs (the facts
 * it publishes) and, when one call serves several subjects, its grouping. A new probe is its
 * folder, one registration line (register_builtin_probes) and a rule file: nothing in the engine.
 */
struct ProbeSpec {
    std::string kind;                   ///< "tls", "http", "ldap", "document"
    std::vector<SubjectKind> subjects;  ///< inputs: the subject kinds it is called for
    std::string description;
    std::vector<FactSpec> facts;        ///< outputs
    std::optional<ProbeGrouping> grouping;  ///< subjects served by another subject's call
};

}  // namespace lisa
