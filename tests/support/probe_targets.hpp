// SPDX-License-Identifier: Apache-2.0
// For probe tests whose fixtures declare subjects by hand (facts named as the inventory names
// them, including combinations the loader refuses, so the probe's own refusals can be tested):
// the typed targets (lisa/inventory/targets.hpp) those declarations stand for. Production code
// never does this: the inventory loader makes the targets once. Header-only; tests only.
#pragma once

#include <string>
#include <vector>

#include "lisa/core/subject.hpp"
#include "lisa/inventory/targets.hpp"

namespace lisa::testing_support {

inline std::string declared_string(const Subject& s, const std::string& name) {
    return string_fact(s.facts, name);
}

inline bool declared_bool(const Subject& s, const std::string& name) {
    const Value* v = find_value(s.facts, name);
    return v != nullptr && v->as_bool() != nullptr && *v->as_bool();
}

inline Url declared_url(const Subject& s, const std::string& name) {
    const std::string text = declared_string(s, name);
    auto parsed = Url::parse(text);
    return parsed ? std::move(parsed).value() : Url{};
}

inline EndpointTarget endpoint_target_of(const Subject& s) {
    EndpointTarget t;
    t.url = declared_url(s, "endpoint.url");
    if (t.url.written.empty() && find_value(s.facts, "endpoint.scheme") != nullptr) {
        // Fixtures that declare only scheme, host and port.
        t.url.parts.scheme = declared_string(s, "endpoint.scheme");
        t.url.parts.host = declared_string(s, "endpoint.host");
        const Value* port = find_value(s.facts, "endpoint.port");
        t.url.parts.port = port != nullptr && port->as_int() != nullptr ? *port->as_int() : 0;
    }
    t.sni = declared_string(s, "endpoint.sni");
    t.ca_file = declared_string(s, "endpoint.ca_file");
    t.trust_intermediates = declared_bool(s, "endpoint.trust_intermediates");
    t.starttls = declared_bool(s, "endpoint.starttls");
    t.http_url = declared_string(s, "endpoint.http_url");
    t.idp = declared_string(s, "endpoint.idp");
    return t;
}

inline DirectoryTarget directory_target_of(const Subject& s) {
    DirectoryTarget t;
    t.url = declared_url(s, "directory.url");
    t.base_dn = declared_string(s, "directory.base_dn");
    t.bind_dn = declared_string(s, "directory.bind_dn");
    t.password_env = declared_string(s, "directory.password_env");
    t.password_file = declared_string(s, "directory.password_file");
    t.kerberos = declared_bool(s, "directory.kerberos");
    t.keytab = declared_string(s, "directory.keytab");
    t.principal = declared_string(s, "directory.principal");
    t.ca_file = declared_string(s, "directory.ca_file");
    t.trust_intermediates = declared_bool(s, "directory.trust_intermediates");
    t.starttls = declared_bool(s, "directory.starttls");
    if (find_value(s.facts, "directory.flavour") != nullptr) {
        t.flavour = declared_string(s, "directory.flavour");
    }
    if (const Value* v = find_value(s.facts, "directory.mfa_groups"); v != nullptr && v->as_list() != nullptr) {
        t.mfa_groups = *v->as_list();
    }
    t.strong_auth_attribute = declared_string(s, "directory.strong_auth_attribute");
    t.shared_marker = declared_string(s, "directory.shared_marker");
    if (const Value* v = find_value(s.facts, "directory.stale_days"); v != nullptr && v->as_int() != nullptr) {
        t.stale_days = *v->as_int();
    }
    t.user_filter = declared_string(s, "directory.user_filter");
    t.group_filter = declared_string(s, "directory.group_filter");
    return t;
}

/// The targets of hand-declared `subjects` (same index), as the loader would type them.
inline std::vector<SubjectTarget> targets_of(const std::vector<Subject>& subjects) {
    std::vector<SubjectTarget> targets;
    for (const Subject& s : subjects) {
        if (s.kind == SubjectKind::Endpoint) {
            targets.emplace_back(endpoint_target_of(s));
        } else if (s.kind == SubjectKind::Directory) {
            targets.emplace_back(directory_target_of(s));
        } else if (s.kind == SubjectKind::AccessGroup) {
            AccessGroupTarget g;
            g.directory = declared_string(s, "access_group.directory");
            g.dn = declared_string(s, "access_group.dn");
            g.privileged = declared_bool(s, "access_group.privileged");
            for (std::size_t i = 0; i < subjects.size(); ++i) {
                if (subjects[i].kind == SubjectKind::Directory && subjects[i].id == g.directory) {
                    g.directory_index = static_cast<int>(i);
                }
            }
            targets.emplace_back(std::move(g));
        } else {
            targets.emplace_back();
        }
    }
    return targets;
}

}  // namespace lisa::testing_support
