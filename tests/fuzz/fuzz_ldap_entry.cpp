// SPDX-License-Identifier: Apache-2.0
// Any bytes as what a directory returns: "attribute: value" lines become an entry (account
// facts), DNs are normalised, member;range= descriptions drive the range collector, and the
// lines also form groups for the nested-group expansion (cycles included). These functions read
// server data; none may crash, hang or overread.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/probes/ldap_probe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> names;
    std::vector<std::string> values;
    std::size_t start = 0;
    while (start < text.size() && names.size() < 4096) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string_view line(text.data() + start, end - start);
        const auto colon = line.find(':');
        names.emplace_back(line.substr(0, colon));
        values.emplace_back(colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1));
        start = end + 1;
    }
    std::vector<lisa::EntryAttribute> attributes;
    for (std::size_t i = 0; i < names.size(); ++i) {
        attributes.push_back({names[i], {values[i]}});
    }
    lisa::AccountPolicy policy;
    policy.strong_auth_attribute = "businesscategory";
    policy.strong_auth_value = "mfa";
    policy.shared_attribute = "employeetype";
    policy.shared_value = "shared";
    const lisa::AccountFacts account = lisa::account_from_entry(names.empty() ? "" : values[0], attributes, policy);
    (void)lisa::is_stale(account, lisa::Date{20000}, 90);

    lisa::RangeCollector collector("member");
    lisa::DirectoryModel model;
    for (std::size_t i = 0; i < names.size(); ++i) {
        (void)lisa::ldap_filter_escape(values[i]);
        (void)lisa::generalized_time_to_date(values[i]);
        (void)lisa::parse_attribute_range(names[i]);
        collector.add(names[i], {values[i]});
        // Every line is also "group member": a group graph with arbitrary shape.
        model.groups[lisa::normalize_dn(names[i])].push_back(lisa::normalize_dn(values[i]));
    }
    (void)collector.next_request();
    if (!names.empty()) {
        (void)lisa::expand_group(model, lisa::normalize_dn(names[0]));
    }
    return 0;
}
