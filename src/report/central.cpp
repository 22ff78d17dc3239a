// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/central.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace lisa {
namespace {

using Json = nlohmann::json;

// Copies the listed keys of `from` that exist; nothing else.
Json pick(const Json& from, std::initializer_list<const char*> keys) {
    Json out = Json::object();
    if (!from.is_object()) {
        return out;
    }
    for (const char* k : keys) {
        if (from.contains(k)) {
            out[k] = from[k];
        }
    }
    return out;
}

bool is_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

Result<std::string> central_profile(const std::string& full_report_json) {
    Json doc;
    try {
        doc = Json::parse(full_report_json);
    } catch (const Json::exception& e) {
        return Error{std::string("central profile: not a lisa JSON report: ") + e.what()};
    }
    if (!doc.is_object() || !doc.contains("run") || !doc.contains("organization") || !doc.contains("score")) {
        return Error{"central profile: not a lisa JSON report (no run, organization or score)"};
    }
    Json out = Json::object();
    out["profile"] = "lisa-central";
    out["profile_version"] = 1;
    out["tool"] = pick(doc["tool"], {"name", "version"});
    out["run"] = pick(doc["run"], {"as_of", "started", "finished", "rule_pack_sha256", "inventory_sha256",
                                   "systems", "complete"});
    out["organization"] = pick(doc["organization"], {"name", "municipality_code", "population", "size_group",
                                                     "size_group_2021"});
    Json score = pick(doc["score"], {"overall", "overall_without_waivers", "coverage", "rules_judged",
                                     "findings_by_status"});
    score["areas"] = Json::array();
    for (const auto& a : doc["score"].value("areas", Json::array())) {
        score["areas"].push_back(
            pick(a, {"id", "score", "score_without_waivers", "coverage", "rules_judged", "findings_by_status"}));
    }
    out["score"] = std::move(score);
    out["indicators"] = Json::array();
    for (const auto& i : doc.value("indicators", Json::array())) {
        Json p = pick(i, {"id", "scope", "answer", "evidenced", "complete"});
        p["by_provenance"] = Json::object();
        if (i.contains("evidence") && i["evidence"].is_object() && i["evidence"].contains("by_provenance")) {
            for (const auto& [k, v] : i["evidence"]["by_provenance"].items()) {
                if (k == "declared" || k == "document" || k == "probed") {
                    p["by_provenance"][k] = v;
                }
            }
        }
        out["indicators"].push_back(std::move(p));
    }
    out["results"] = Json::array();
    for (const auto& f : doc.value("findings", Json::array())) {
        Json r = pick(f, {"rule", "subject", "subject_kind", "status", "severity", "area"});
        if (f.contains("indicator") && f["indicator"].is_string()) {
            r["indicator"] = f["indicator"];
        }
        out["results"].push_back(std::move(r));
    }
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<CentralProfileInfo> read_central_profile(const std::string& text) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::exception& e) {
        return Error{std::string("not JSON: ") + e.what()};
    }
    if (!doc.is_object()) {
        return Error{"not a lisa central profile (not a JSON object)"};
    }
    if (!doc.contains("profile")) {
        if (doc.contains("findings") && doc.contains("schema_version")) {
            return Error{"this is a full lisa report, which holds names, DNs and evidence; only the central "
                         "profile may leave the municipality: lisa scan --inventory FILE --format central "
                         "--output PROFILE.json --sign KEY.pem, then push PROFILE.json"};
        }
        return Error{"not a lisa central profile (no \"profile\" key)"};
    }
    if (doc["profile"] != "lisa-central" || !doc.contains("profile_version") || doc["profile_version"] != 1) {
        return Error{"not a lisa central profile of version 1"};
    }
    CentralProfileInfo info;
    try {
        const auto& org = doc.at("organization");
        const auto& run = doc.at("run");
        info.municipality_code = org.at("municipality_code").get<std::string>();
        info.organization = org.at("name").get<std::string>();
        info.as_of = run.at("as_of").get<std::string>();
        info.finished = run.at("finished").get<std::string>();
        info.complete = run.at("complete").get<bool>();
        info.full_scope = run.at("systems").empty();
        info.tool_version = doc.at("tool").value("version", "");
    } catch (const Json::exception& e) {
        return Error{std::string("central profile lacks a field: ") + e.what()};
    }
    if (info.municipality_code.size() != 4 ||
        !std::all_of(info.municipality_code.begin(), info.municipality_code.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return Error{"central profile: organization.municipality_code must be four digits, not '" +
                     info.municipality_code + "'"};
    }
    if (!is_date(info.as_of)) {
        return Error{"central profile: run.as_of must be YYYY-MM-DD"};
    }
    return info;
}

}  // namespace lisa
