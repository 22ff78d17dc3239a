// SPDX-License-Identifier: Apache-2.0
#include "ldap_tls.hpp"

#include "lisa/probes/tls_probe.hpp"

namespace lisa::ldap_detail {

Facts rename_tls_facts(const Facts& tls_facts) {
    Facts out;
    for (const auto& [name, fact] : tls_facts) {
        if (name.rfind("tls.", 0) != 0) {
            continue;
        }
        out.emplace("ldap." + name, fact);  // keeps the tls probe's own source
    }
    return out;
}

}  // namespace lisa::ldap_detail

namespace lisa {

void add_tls_facts(const std::string& host, int port, const std::string& ca_file, bool starttls,
                   const ProbeContext& context, Facts& facts) {
    TlsTarget target;
    target.host = host;
    target.port = port;
    target.ca_file = ca_file;
    target.starttls = starttls ? StartTls::Ldap : StartTls::None;
    for (auto& [name, fact] : ldap_detail::rename_tls_facts(collect_tls_facts(target, context))) {
        facts[name] = std::move(fact);
    }
}

}  // namespace lisa
