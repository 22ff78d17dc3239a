// SPDX-License-Identifier: Apache-2.0
#include "ldap_tls.hpp"

#include <utility>

#include "lisa/probes/tls_probe.hpp"

namespace lisa::ldap_detail {
namespace {

constexpr std::string_view kTlsPrefix = "tls.";

bool is_tls_name(std::string_view name) { return name.substr(0, kTlsPrefix.size()) == kTlsPrefix; }

}  // namespace

Facts rename_tls_facts(const Facts& tls_facts) {
    Facts out;
    for (const auto& [name, fact] : tls_facts) {
        if (is_tls_name(name)) {
            out.emplace("ldap." + name, fact);
        }
    }
    return out;
}

std::vector<FactSpec> ldap_tls_fact_specs() {
    std::vector<FactSpec> out;
    for (const FactSpec& spec : make_tls_probe()->spec().facts) {
        if (is_tls_name(spec.name)) {
            out.push_back({"ldap." + spec.name, spec.type,
                           spec.meaning + " (the directory's ldaps/StartTLS endpoint)"});
        }
    }
    return out;
}

void add_tls_facts(const std::string& host, int port, const std::string& ca_file,
                   bool trust_intermediates, bool starttls, const ProbeContext& context,
                   Facts& facts) {
    TlsTarget target;
    target.host = host;
    target.port = port;
    target.ca_file = ca_file;
    target.trust_intermediates = trust_intermediates;
    target.starttls = starttls ? StartTls::Ldap : StartTls::None;
    target.ldap = true;
    for (auto& [name, fact] : rename_tls_facts(collect_tls_facts(target, context))) {
        facts[name] = std::move(fact);
    }
}

}  // namespace lisa::ldap_detail
