// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/fact.hpp"

namespace lisa {

/// What a rule judges.
enum class SubjectKind { Organization, System, Endpoint, Directory, AccessGroup, EService, Document };

[[nodiscard]] std::string_view to_string(SubjectKind kind) noexcept;
[[nodiscard]] std::optional<SubjectKind> subject_kind_from_string(std::string_view text) noexcept;
/// All kinds, in declaration order.
[[nodiscard]] const std::vector<SubjectKind>& all_subject_kinds();

/**
 * One thing in the inventory a rule can judge. Its declared facts are named with its kind as
 * prefix ("system.sensitive_personal_data", "endpoint.url"); probes add facts under their own
 * prefix ("tls.*"). A subject sees its ancestors' facts too (an endpoint sees `system.*`).
 */
struct Subject {
    SubjectKind kind = SubjectKind::Organization;
    std::string id;          ///< unique within its kind, e.g. "procapita/ext-web"
    std::string name;        ///< human name for reports
    int parent = -1;         ///< index into the subject list, -1 for the organization
    Facts facts;             ///< declared facts; probes' facts are kept apart by the engine
    SourceLocation location; ///< where the inventory declares it
};

}  // namespace lisa
