// SPDX-License-Identifier: Apache-2.0
#include <cmath>

#include <nlohmann/json.hpp>

#include "lisa/core/text.hpp"
#include "lisa/report/report.hpp"

namespace lisa {
namespace {

using Json = nlohmann::ordered_json;

Json to_json(const Value& v) {
    switch (v.type()) {
        case ValueType::None: return nullptr;
        case ValueType::Bool: return *v.as_bool();
        case ValueType::Integer: return *v.as_int();
        case ValueType::Number: return *v.as_double();
        case ValueType::String: return *v.as_string();
        case ValueType::Date: return v.as_date()->to_string();
        case ValueType::List: return *v.as_list();
    }
    return nullptr;
}

Json fact_json(const Fact& fact) {
    Json j;
    j["value"] = to_json(fact.value);
    j["provenance"] = std::string(to_string(fact.provenance));
    if (!fact.source.empty()) {
        j["source"] = fact.source;
    }
    return j;
}

}  // namespace

void write_probe_json(const std::string& subject, const Facts& facts, const std::string& error,
                      std::ostream& out) {
    Json doc;
    doc["subject"] = subject;
    Json j = Json::object();
    for (const auto& [name, fact] : facts) {
        j[name] = fact_json(fact);
    }
    doc["facts"] = std::move(j);
    if (!error.empty()) {
        doc["error"] = error;
    }
    out << json_escape_controls(doc.dump(2, ' ', false, Json::error_handler_t::replace)) << '\n';
}

}  // namespace lisa
